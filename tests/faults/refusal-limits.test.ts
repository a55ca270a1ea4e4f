// Refusal flood: an address that keeps failing identification gets 429 before the guard, so it cannot fill the log with refusals.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { refusalLimits } from '../../broker/http/refusal-limits.ts';
import { identityGuard } from '../../broker/identity/guard.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import type { PersonRecord } from '../../broker/identity/registry.ts';
import { whoamiRoutes } from '../../broker/identity/whoami-routes.ts';
import { memoryAppender, silentLogger } from '../identity/support.ts';

function floodedApp(clock: { now: number }) {
  const appender = memoryAppender();
  const app = createApp({
    logger: silentLogger,
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 1 << 20,
    guards: [
      refusalLimits({
        perSecond: 1,
        burst: 5,
        getAddress: (c) => c.req.header('x-test-address'),
        maxAddresses: 3,
        now: () => clock.now,
      }),
      // The real guard: with no certificate every request is refused (401) and the refusal logged.
      identityGuard({
        getPeerCertificate: () => undefined,
        registry: {
          findPartner: () => Promise.resolve(undefined),
          getPartner: () => Promise.resolve(undefined),
          getPerson: (): Promise<PersonRecord | undefined> => Promise.resolve(undefined),
        },
        trust: { isRevoked: () => false, status: () => ({ ok: true, problems: [] }) },
        audit: createIdentityAudit(appender, silentLogger),
      }),
    ],
    routes: [whoamiRoutes()],
  });
  const from = (address?: string) =>
    app.request('/v1/whoami', address === undefined ? {} : { headers: { 'x-test-address': address } });
  return { from, records: appender.records };
}

describe('refusal limits per address', () => {
  it('answers 429 ERR_RATE_LIMITED with Retry-After after the burst of refusals, without logging more refusals', async () => {
    const clock = { now: 0 };
    const { from, records } = floodedApp(clock);
    for (let i = 0; i < 5; i++) expect((await from('10.0.0.1')).status).toBe(401);
    expect(records).toHaveLength(5);
    for (let i = 0; i < 100; i++) {
      const res = await from('10.0.0.1');
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { code: string }).code).toBe('ERR_RATE_LIMITED');
    }
    expect(records).toHaveLength(5);
    // Another address is identified (and refused) as usual.
    expect((await from('10.0.0.2')).status).toBe(401);
    // After a second one more refusal is earned.
    clock.now = 1_000;
    expect((await from('10.0.0.1')).status).toBe(401);
    expect((await from('10.0.0.1')).status).toBe(429);
  });

  it('remembers a bounded number of addresses, forgetting the oldest first', async () => {
    const clock = { now: 0 };
    const { from } = floodedApp(clock);
    for (let i = 0; i < 5; i++) await from('10.0.0.1');
    expect((await from('10.0.0.1')).status).toBe(429);
    for (const address of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) await from(address);
    expect((await from('10.0.0.1')).status).toBe(401);
  });

  it('passes requests whose address is unknown (no socket) to the guard', async () => {
    const { from } = floodedApp({ now: 0 });
    for (let i = 0; i < 10; i++) expect((await from()).status).toBe(401);
  });
});
