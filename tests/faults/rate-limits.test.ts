// Per-partner limits: over the rate or the concurrency a partner gets 429 problem+json with Retry-After; others are untouched.
import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { partnerLimits, type PartnerLimitsOptions } from '../../broker/http/partner-limits.ts';
import type { Identity } from '../../broker/identity/identity.ts';
import { BACKENDS } from '../support/databases.ts';
import { callerFromHeader, createTestApp } from '../support/test-caller.ts';
import { openFlowFixture, REGISSEUR, type FlowFixture, type FlowItem } from './flow-fixture.ts';

/** Stands in for the identity guard: the partner named in x-test-caller becomes c.var.identity. */
const testIdentity: MiddlewareHandler<AppEnv> = async function testIdentity(c, next) {
  if (c.req.header('x-test-caller') !== undefined) {
    const caller = callerFromHeader(c);
    c.set('identity', { kind: 'system', partner: caller.partner, user: caller.user } as unknown as Identity);
  }
  await next();
};

const caller = (partner: string) =>
  JSON.stringify({ partner: { id: partner, kind: 'politie' }, user: { id: 'u', role: 'analist' } });

function limitedApp(options: PartnerLimitsOptions) {
  const gates: (() => void)[] = [];
  const app = createTestApp([
    (a) => {
      a.use(testIdentity);
      a.use(partnerLimits(options));
      a.get('/ping', (c) => c.json({ ok: true }));
      a.get('/slow', async (c) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return c.json({ ok: true });
      });
      a.get('/boom', () => {
        throw new Error('route failed');
      });
    },
  ]);
  const get = (path: string, partner?: string) =>
    app.request(path, partner === undefined ? {} : { headers: { 'x-test-caller': caller(partner) } });
  return { get, gates };
}

describe('per-partner rate limit', () => {
  it('answers 429 ERR_RATE_LIMITED with Retry-After once the burst is spent, and serves again after refill', async () => {
    let clock = 0;
    const { get } = limitedApp({ ratePerSecond: 2, burst: 3, maxConcurrent: 0, now: () => clock });
    for (let i = 0; i < 3; i++) expect((await get('/ping', 'p-a')).status).toBe(200);
    const refused = await get('/ping', 'p-a');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'ERR_RATE_LIMITED' });
    // Another partner has its own bucket.
    expect((await get('/ping', 'p-b')).status).toBe(200);
    clock = 500; // one token back at 2 per second
    expect((await get('/ping', 'p-a')).status).toBe(200);
    expect((await get('/ping', 'p-a')).status).toBe(429);
  });

  it('tells a slow-rate partner how many seconds to wait', async () => {
    const { get } = limitedApp({ ratePerSecond: 0.1, burst: 1, maxConcurrent: 0, now: () => 0 });
    expect((await get('/ping', 'p-a')).status).toBe(200);
    const refused = await get('/ping', 'p-a');
    expect(refused.headers.get('retry-after')).toBe('10');
  });

  it('leaves requests without an identity to the guard (it has refused them already)', async () => {
    const { get } = limitedApp({ ratePerSecond: 1, burst: 1, maxConcurrent: 1, now: () => 0 });
    for (let i = 0; i < 5; i++) expect((await get('/ping')).status).toBe(200);
  });

  it('is off at rate 0', async () => {
    const { get } = limitedApp({ ratePerSecond: 0, burst: 1, maxConcurrent: 0, now: () => 0 });
    for (let i = 0; i < 50; i++) expect((await get('/ping', 'p-a')).status).toBe(200);
  });
});

describe('per-partner concurrency limit', () => {
  it('answers 429 ERR_CONCURRENCY_LIMITED while the partner has its maximum in progress, and frees the slot after', async () => {
    const { get, gates } = limitedApp({ ratePerSecond: 0, burst: 1, maxConcurrent: 2 });
    const first = get('/slow', 'p-a');
    const second = get('/slow', 'p-a');
    while (gates.length < 2) await new Promise((r) => setImmediate(r));
    const refused = await get('/ping', 'p-a');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'ERR_CONCURRENCY_LIMITED' });
    expect((await get('/ping', 'p-b')).status).toBe(200);
    gates.shift()!();
    expect((await first).status).toBe(200);
    expect((await get('/ping', 'p-a')).status).toBe(200);
    gates.shift()!();
    expect((await second).status).toBe(200);
  });

  it('frees the slot when the route fails', async () => {
    const { get } = limitedApp({ ratePerSecond: 0, burst: 1, maxConcurrent: 1 });
    expect((await get('/boom', 'p-a')).status).toBe(500);
    expect((await get('/ping', 'p-a')).status).toBe(200);
  });
});

describe.each(BACKENDS)('a partner over its rate, through the request flow on %s', (backend) => {
  let fixture: FlowFixture;
  let asked = 0;
  beforeAll(async () => {
    const reference = createReferenceAdapter(['om.strafzaken'], DEMO_DATA);
    const om = {
      categories: reference.categories,
      fetch: (...args: Parameters<typeof reference.fetch>) => {
        asked += 1;
        return reference.fetch(...args);
      },
    };
    fixture = await openFlowFixture({
      backend,
      adapters: (holder) => (holder === 'demo-om' ? om : undefined),
      // Enough for the case set-up (4 calls) and one request, not for a second.
      guards: [testIdentity, partnerLimits({ ratePerSecond: 0.001, burst: 5, maxConcurrent: 4 })],
    });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('gets 429 with Retry-After and nothing is asked, logged or disclosed for the refused request', async () => {
    const caseId = await fixture.includedCase();
    const body = {
      caseId,
      subject: { bsn: '111222333' },
      purpose: 'risicotaxatie',
      categories: ['om.strafzaken'],
    };
    const served = await fixture.call(REGISSEUR, 'POST', '/v1/requests', body);
    expect(served.status).toBe(200);
    expect((served.body.items as FlowItem[])[0]!.outcome).toBe('disclosed');
    const count = async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from info_requests`.execute(fixture.store.db)).rows[0]!
          .n,
      );
    const requestsBefore = await count();
    const entriesBefore = await fixture.log.append({ type: 'test.marker' });

    const refused = await fixture.call(REGISSEUR, 'POST', '/v1/requests', body);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect(refused.body.items).toBeUndefined();
    expect(await count()).toBe(requestsBefore);
    expect(asked).toBe(1);
    const entriesAfter = await fixture.log.append({ type: 'test.marker' });
    expect(entriesAfter.seq).toBe(entriesBefore.seq + 1);
  });
});
