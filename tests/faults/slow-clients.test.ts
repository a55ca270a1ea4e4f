// Fault test: slow clients (no handshake, headers a byte at a time, a body that never ends) are cut off; others are served meanwhile.
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPartnerServer, portOf } from '../../broker/http/servers.ts';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from '../support/databases.ts';
import { createTestApp } from '../support/test-caller.ts';

// Each test is bounded at 10 s: with Node's defaults (a 120 s handshake timeout, timeouts checked
// every 30 s) these clients would hold their connections far longer and the tests would fail.
// The request timeout is five times the headers timeout, so that a cut-off by the one is told from
// a cut-off by the other (without a headers timeout of its own, Node takes the request timeout).
const HEADERS_TIMEOUT = 600;
const REQUEST_TIMEOUT = 3_000;

/** Resolves with what the server sent before it closed the connection, and how long that took. */
function closed(socket: Socket): Promise<{ received: string; ms: number }> {
  const started = performance.now();
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.once('close', () => resolve({ received, ms: Math.round(performance.now() - started) })),
  );
}

describe('slow clients on the partner port', () => {
  let server: HttpsServer;
  let port = 0;
  let ca = '';
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    const dir = scratchDir('slow-clients');
    await createPki(dir);
    const creds = readServerCredentials(dir);
    ca = creds.ca;
    const app = createTestApp([
      (a) => {
        a.get('/ping', (c) => c.json({ ok: true }));
        a.post('/echo', async (c) => c.json({ size: (await c.req.text()).length }));
      },
    ]);
    server = await startPartnerServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: creds.cert, key: creds.key, ca: creds.ca },
      app,
      timeouts: {
        headersTimeoutMs: HEADERS_TIMEOUT,
        requestTimeoutMs: REQUEST_TIMEOUT,
        keepAliveTimeoutMs: 500,
      },
    });
    port = portOf(server);
  }, 30_000);
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const tls = () => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    return new Promise<Socket>((resolve, reject) => {
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
    });
  };

  /** A well-behaved request on a fresh connection. */
  const ping = async () => {
    const socket = await tls();
    const done = closed(socket);
    socket.end('GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    return (await done).received;
  };

  it('closes a connection that never starts the TLS handshake', async () => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const { ms } = await closed(socket);
    console.log(`silent connection closed after ${ms} ms (handshake timeout ${HEADERS_TIMEOUT} ms)`);
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT - 50);
  }, 10_000);

  it('answers 408 to headers that trickle in within the headers timeout, and serves a normal client meanwhile', async () => {
    const socket = await tls();
    const done = closed(socket);
    const line = 'GET /ping HTTP/1.1\r\nHost: localhost\r\nX-Slow: ';
    let i = 0;
    // A byte every 50 ms: each byte is "activity", but the headers are never complete.
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(line[i++ % line.length]!);
    }, 50);
    timers.push(trickle);
    expect(await ping()).toMatch(/^HTTP\/1\.1 200 /);
    const { received, ms } = await done;
    clearInterval(trickle);
    console.log(
      `trickling headers cut off after ${ms} ms (headers timeout ${HEADERS_TIMEOUT} ms, request timeout ${REQUEST_TIMEOUT} ms)`,
    );
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    // Cut off by the headers timeout (checked every 150 ms), well before the request timeout.
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT - 50);
    expect(ms).toBeLessThan((HEADERS_TIMEOUT + REQUEST_TIMEOUT) / 2);
  }, 10_000);

  it('cuts off a body that never finishes within the request timeout', async () => {
    const socket = await tls();
    const done = closed(socket);
    socket.write(
      'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 50);
    timers.push(drip);
    const { received, ms } = await done;
    clearInterval(drip);
    console.log(`never-ending body cut off after ${ms} ms (request timeout ${REQUEST_TIMEOUT} ms)`);
    expect(received).not.toMatch(/^HTTP\/1\.1 200 /);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 100);
    expect(await ping()).toMatch(/^HTTP\/1\.1 200 /);
  }, 10_000);

  it('closes an idle keep-alive connection', async () => {
    const socket = await tls();
    const done = closed(socket);
    socket.write('GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const { received } = await done;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
  }, 10_000);
});
