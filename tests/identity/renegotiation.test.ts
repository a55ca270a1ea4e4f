// TLS 1.2 renegotiation on the partner port: a client may not swap in another certificate after the handshake.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackConnections } from '../../broker/identity/connections.ts';
import { nodePeerCertificate } from '../../broker/identity/peer-certificate.ts';
import { applyTrust, checkedTrust } from '../../broker/identity/revocation-watch.ts';
import type { Store } from '../../broker/store/database.ts';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { scratchDir } from '../support/databases.ts';
import { brokerWithPolitie, get, silentLogger, type ClientFiles, type TestBroker } from './support.ts';

/** Opens a TLS 1.2 connection with a client certificate and waits for the handshake. */
async function open(port: number, ca: string, client: ClientFiles): Promise<TLSSocket> {
  const socket = connect({
    host: '127.0.0.1',
    servername: 'localhost',
    port,
    ca,
    cert: client.cert,
    key: client.key,
    maxVersion: 'TLSv1.2',
  });
  await once(socket, 'secureConnect');
  return socket;
}

/**
 * Renegotiates, then sends `probe` on the same connection: 'open' when the server still answers,
 * 'closed' when it refused the renegotiation or ended the connection.
 */
async function renegotiateAndProbe(socket: TLSSocket, probe: string): Promise<'open' | 'closed'> {
  const closed = new Promise<'closed'>((resolve) => socket.once('close', () => resolve('closed')));
  socket.on('error', () => undefined);
  const renegotiated = new Promise<boolean>((resolve) => {
    const started = socket.renegotiate({ rejectUnauthorized: true }, (error) => resolve(error == null));
    if (!started) resolve(false);
  });
  if (!(await Promise.race([renegotiated, closed.then(() => false)]))) return 'closed';
  const answered = new Promise<'open'>((resolve) => socket.once('data', () => resolve('open')));
  socket.write(probe);
  return Promise.race([answered, closed]);
}

describe('renegotiation', () => {
  const dir = scratchDir('renegotiation');
  let store: Store;
  let broker: TestBroker;
  let politie: ClientFiles;

  beforeAll(async () => {
    ({ store, broker, politie } = await brokerWithPolitie(dir));
  });

  afterAll(async () => {
    await broker?.close();
    await store?.close();
  });

  it('refuses a client-initiated renegotiation on the partner port over TLS 1.2', async () => {
    const socket = await open(broker.port, broker.ca, politie);
    try {
      expect(socket.getProtocol()).toBe('TLSv1.2');
      const probe = 'GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\n\r\n';
      expect(await renegotiateAndProbe(socket, probe)).toBe('closed');
    } finally {
      socket.destroy();
    }
    // Only that connection ends: a fresh one is answered.
    expect((await get(broker, '/v1/whoami', politie)).status).toBe(200);
  });

  it('still refuses renegotiation after the trust material is reloaded', async () => {
    applyTrust(
      {
        server: broker.server,
        trust: broker.trust,
        tracker: trackConnections(broker.server),
        serverCredentials: readServerCredentials(dir),
        logger: silentLogger,
      },
      checkedTrust(broker.trust),
    );
    const socket = await open(broker.port, broker.ca, politie);
    try {
      const probe = 'GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\n\r\n';
      expect(await renegotiateAndProbe(socket, probe)).toBe('closed');
    } finally {
      socket.destroy();
    }
  });

  it('ends a connection that completes a second handshake on a tracked server', async () => {
    // A server without the partner port's options, so the renegotiation itself goes through.
    const creds = readServerCredentials(dir);
    const server = createServer({
      cert: creds.cert,
      key: creds.key,
      ca: creds.ca,
      requestCert: true,
      rejectUnauthorized: false,
      maxVersion: 'TLSv1.2',
    });
    server.on('secureConnection', (s: TLSSocket) => s.on('data', (d: Buffer) => s.write(d)));
    trackConnections(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = await open((server.address() as AddressInfo).port, creds.ca, politie);
    try {
      expect(await renegotiateAndProbe(socket, 'ping')).toBe('closed');
    } finally {
      socket.destroy();
      server.close();
    }
  });

  it('reports a certificate as not authorized when TLS set an error after authorizing it', async () => {
    const raw = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const socketWith = (authorizationError: unknown) => ({
      getPeerCertificate: () => ({}),
      getPeerX509Certificate: () => ({ raw }),
      // Node keeps `authorized` from the first handshake.
      authorized: true,
      authorizationError,
    });
    const peerOf = async (socket: unknown) => {
      const app = new Hono();
      let peer: ReturnType<typeof nodePeerCertificate>;
      app.get('/', (c) => {
        peer = nodePeerCertificate(c);
        return c.text('');
      });
      await app.request('/', {}, { incoming: { socket } });
      return peer;
    };
    expect(await peerOf(socketWith('SELF_SIGNED_CERT_IN_CHAIN'))).toEqual({
      raw,
      authorized: false,
      authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(await peerOf(socketWith(Object.assign(new Error('x'), { code: 'CERT_REVOKED' })))).toMatchObject({
      authorized: false,
      authorizationError: 'CERT_REVOKED',
    });
    expect(await peerOf(socketWith(null))).toMatchObject({ authorized: true });
  });
});
