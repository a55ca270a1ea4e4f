// Retries of idempotent source calls: transient failures are retried within the deadline, never beyond it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterUnavailableError } from '../../adapters/contract.ts';
import { exchange } from '../../adapters/http-exchange.ts';
import { createHttpAdapter } from '../../adapters/http.ts';

describe('retries of idempotent source calls', () => {
  let server: Server;
  let base = '';
  /** Per path: the statuses to answer in turn (the last one repeats). */
  const scripts: Record<string, number[]> = {};
  const hits: Record<string, number> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      const n = (hits[path] = (hits[path] ?? 0) + 1);
      const script = scripts[path] ?? [200];
      const status = script[Math.min(n - 1, script.length - 1)] ?? 200;
      if (status === 0) {
        req.socket.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ status: 'found', record: { inZorg: true } }) : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    for (const key of Object.keys(hits)) delete hits[key];
  });

  const query = { requestId: 'r-1', category: 'ggz.bekend', bsn: '111222333' };
  const signal = () => new AbortController().signal;

  it('answers after a 503 and a dropped connection when a later attempt succeeds', async () => {
    scripts['/flaky'] = [503, 0, 200];
    const adapter = createHttpAdapter({
      url: `${base}/flaky`,
      categories: ['ggz.bekend'],
      fetch,
      backoffMs: 5,
    });
    expect(await adapter.fetch(query, signal())).toEqual({ status: 'found', record: { inZorg: true } });
    expect(hits['/flaky']).toBe(3);
  });

  it('gives up with SOURCE_UNAVAILABLE after the bounded number of retries', async () => {
    scripts['/down'] = [502];
    const adapter = createHttpAdapter({
      url: `${base}/down`,
      categories: ['ggz.bekend'],
      fetch,
      retries: 2,
      backoffMs: 5,
    });
    await expect(adapter.fetch(query, signal())).rejects.toMatchObject({
      constructor: AdapterUnavailableError,
      reason: 'SOURCE_UNAVAILABLE',
    });
    expect(hits['/down']).toBe(3);
  });

  it.each([429, 401, 403, 500])('does not retry HTTP %i', async (status) => {
    scripts[`/s${status}`] = [status, 200];
    const adapter = createHttpAdapter({ url: `${base}/s${status}`, categories: ['x'], fetch, backoffMs: 5 });
    await expect(adapter.fetch(query, signal())).rejects.toBeInstanceOf(AdapterUnavailableError);
    expect(hits[`/s${status}`]).toBe(1);
  });

  it('does not retry a call that is not idempotent', async () => {
    scripts['/once'] = [503, 200];
    await expect(
      exchange(
        { fetch, backoffMs: 5 },
        { url: `${base}/once`, method: 'POST', headers: {}, body: '{}', idempotent: false },
        signal(),
      ),
    ).rejects.toBeInstanceOf(AdapterUnavailableError);
    expect(hits['/once']).toBe(1);
  });

  it('does not start a retry the deadline leaves no room for', async () => {
    scripts['/slow-recovery'] = [503, 200];
    const adapter = createHttpAdapter({
      url: `${base}/slow-recovery`,
      categories: ['x'],
      fetch,
      timeoutMs: 1_000,
      backoffMs: 5_000,
    });
    await expect(adapter.fetch(query, signal())).rejects.toBeInstanceOf(AdapterUnavailableError);
    expect(hits['/slow-recovery']).toBe(1);
  });

  it('retries GETs (FHIR reads) the same way', async () => {
    scripts['/get'] = [504, 200];
    const result = await exchange(
      { fetch, backoffMs: 5 },
      { url: `${base}/get`, method: 'GET', headers: {}, idempotent: true },
      signal(),
    );
    expect(result.status).toBe(200);
    expect(hits['/get']).toBe(2);
  });

  it('does not retry a refused certificate', async () => {
    let calls = 0;
    const refusing = (() => {
      calls += 1;
      const cause = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
      return Promise.reject(new TypeError('fetch failed', { cause }));
    }) as typeof fetch;
    const adapter = createHttpAdapter({
      url: 'https://source.example/q',
      categories: ['x'],
      fetch: refusing,
    });
    await expect(adapter.fetch(query, signal())).rejects.toMatchObject({ reason: 'SOURCE_UNAVAILABLE' });
    expect(calls).toBe(1);
  });

  it('retries a connection that was refused or reset', async () => {
    let calls = 0;
    const flaky = (() => {
      calls += 1;
      const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return calls < 3
        ? Promise.reject(new TypeError('fetch failed', { cause }))
        : Promise.resolve(new Response(JSON.stringify({ status: 'not_found' })));
    }) as typeof fetch;
    const adapter = createHttpAdapter({
      url: 'https://source.example/q',
      categories: ['x'],
      fetch: flaky,
      backoffMs: 5,
    });
    expect(await adapter.fetch(query, signal())).toEqual({ status: 'not_found' });
    expect(calls).toBe(3);
  });
});
