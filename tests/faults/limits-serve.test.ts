// The limits as wired in `schakel serve`: a partner over its burst gets 429 over mutual TLS, others are served, the gauges are exported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { startServe, type ServeHandle } from '../support/processes.ts';

describe('per-partner limits in schakel serve', () => {
  const cwd = scratchDir('limits-serve');
  let broker: ServeHandle;
  const agents: Agent[] = [];

  beforeAll(async () => {
    broker = await startServe({
      cwd,
      env: { SCHAKEL_RATE_PER_SECOND: '0.01', SCHAKEL_RATE_BURST: '3', SCHAKEL_LOG_LEVEL: 'warn' },
      timeoutMs: 60_000,
    });
  }, 90_000);
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await broker.stop('SIGKILL');
  });

  const as = (partner: string) => {
    const dir = path.join(cwd, 'var/pki/partners', partner);
    const agent = new Agent({
      connect: {
        cert: readFileSync(path.join(dir, 'cert.pem')),
        key: readFileSync(path.join(dir, 'key.pem')),
        ca: readFileSync(path.join(cwd, 'var/pki/ca.pem')),
      },
    });
    agents.push(agent);
    return () => fetch(`https://localhost:${broker.port}/v1/whoami`, { dispatcher: agent });
  };

  it('answers the fourth request of a partner with 429 ERR_RATE_LIMITED and Retry-After, and serves another partner', async () => {
    const politie = as('demo-politie');
    for (let i = 0; i < 3; i++) expect((await politie()).status).toBe(200);
    const refused = await politie();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect((await as('demo-om')()).status).toBe(200);
  });

  it('exports the log queue depth on the ops port', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${broker.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/^schakel_audit_queue_pending \d+$/m);
    expect(metrics).toMatch(/schakel_http_requests_total\{[^}]*status="429"[^}]*\} 1/);
  });
});
