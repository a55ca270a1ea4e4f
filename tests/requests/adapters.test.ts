// The adapter transports: answers are validated at the boundary; garbage and hangs become errors, never not_found.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdapterProtocolError,
  AdapterTimeoutError,
  AdapterUnavailableError,
} from '../../adapters/contract.ts';
import { createHttpAdapter } from '../../adapters/http.ts';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';

describe('http adapter', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/found') res.end(JSON.stringify({ status: 'found', record: { inZorg: true } }));
      else if (req.url === '/missing') res.writeHead(404).end(JSON.stringify({ status: 'not_found' }));
      else if (req.url === '/misrouted') res.writeHead(404).end('<h1>Not Found</h1>');
      else if (req.url === '/garbage') res.end('<html>');
      else if (req.url === '/wrong-shape') res.end(JSON.stringify({ status: 'found', record: [1] }));
      else if (req.url === '/fails') res.writeHead(500).end();
      // '/hang' never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const query = { requestId: 'r-1', category: 'ggz.bekend', bsn: DEMO_BSN };
  const adapter = (path: string, timeoutMs = 2_000) =>
    createHttpAdapter({ url: `${base}${path}`, categories: ['ggz.bekend'], fetch, timeoutMs });

  it('returns the record of a found answer', async () => {
    expect(await adapter('/found').fetch(query, new AbortController().signal)).toEqual({
      status: 'found',
      record: { inZorg: true },
    });
  });

  it('maps a 404 with the not_found body to not_found', async () => {
    expect(await adapter('/missing').fetch(query, new AbortController().signal)).toEqual({
      status: 'not_found',
    });
  });

  it.each(['/garbage', '/wrong-shape', '/misrouted'])(
    'rejects %s with a protocol error (SOURCE_INVALID_ANSWER)',
    async (path) => {
      await expect(adapter(path).fetch(query, new AbortController().signal)).rejects.toMatchObject({
        constructor: AdapterProtocolError,
        reason: 'SOURCE_INVALID_ANSWER',
      });
    },
  );

  it('rejects a 500 as unavailable (SOURCE_UNAVAILABLE)', async () => {
    await expect(adapter('/fails').fetch(query, new AbortController().signal)).rejects.toBeInstanceOf(
      AdapterUnavailableError,
    );
  });

  it('gives up on a source that hangs (SOURCE_TIMEOUT)', async () => {
    await expect(adapter('/hang', 200).fetch(query, new AbortController().signal)).rejects.toMatchObject({
      constructor: AdapterTimeoutError,
      reason: 'SOURCE_TIMEOUT',
    });
  });

  it("stops when the broker's own signal aborts", async () => {
    const broker = new AbortController();
    const pending = adapter('/hang', 60_000).fetch(query, broker.signal);
    broker.abort();
    await expect(pending).rejects.toBeInstanceOf(AdapterTimeoutError);
  });
});

describe('reference adapter (simulator)', () => {
  it('answers from its data and not_found otherwise', async () => {
    const ref = createReferenceAdapter(['ggz.bekend'], DEMO_DATA);
    const signal = new AbortController().signal;
    expect(await ref.fetch({ requestId: 'r', category: 'ggz.bekend', bsn: DEMO_BSN }, signal)).toMatchObject({
      status: 'found',
    });
    expect(await ref.fetch({ requestId: 'r', category: 'ggz.bekend', bsn: '123456782' }, signal)).toEqual({
      status: 'not_found',
    });
  });
});
