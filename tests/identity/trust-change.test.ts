// New trust material reaches open connections: a revoked issuing CA ends keep-alive connections it vouched for.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import { connect as netConnect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackConnections } from '../../broker/identity/connections.ts';
import { trustNarrowed } from '../../broker/identity/revocation-watch.ts';
import type { Store } from '../../broker/store/database.ts';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { revokeCertificate } from '../../keys/crl.ts';
import { pkiPaths, readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from '../support/databases.ts';
import {
  brokerWithPolitie,
  clientFiles,
  get,
  POLITIE_OIN,
  type ClientFiles,
  type TestBroker,
} from './support.ts';

/** Resolves when the socket closes, or rejects after a second. */
function closesWithinASecond(socket: TLSSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the open connection was not closed within 1 s')), 1_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('trust material changing under open connections', () => {
  const dir = scratchDir('trust-change');
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

  it('no longer answers an open keep-alive connection once its issuing CA is revoked', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...politie });
    try {
      expect((await get(broker, '/v1/whoami', politie, { agent })).status).toBe(200);
      const sockets = Object.values(agent.freeSockets).flat() as TLSSocket[];
      expect(sockets).toHaveLength(1);
      const closed = closesWithinASecond(sockets[0]!);
      const issuingCa = certificateFacts(readFileSync(pkiPaths(dir).issuingCert, 'utf8'));
      await revokeCertificate(dir, issuingCa.serial);
      await closed;
      const again = await get(broker, '/v1/whoami', politie, { agent });
      expect(again.status).toBe(401);
      expect(again.body).toMatchObject({ code: 'ERR_CERT_REVOKED' });
    } finally {
      agent.destroy();
    }
  });
});

describe('retiring the connections of a tracked server', () => {
  const dir = scratchDir('trust-change-retire');
  let server: Server;
  let politie: ClientFiles;
  let ca: string;
  let release: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  let counted = 0;

  beforeAll(async () => {
    await createPki(dir);
    const out = path.join(dir, 'out', 'politie');
    await issuePartnerCertificate(dir, {
      partnerId: 'politie',
      oin: POLITIE_OIN,
      organisation: 'Politie',
      out,
    });
    politie = clientFiles(out);
    const creds = readServerCredentials(dir);
    ca = creds.ca;
    // A handler that answers /slow only when the test releases it: a request in flight.
    server = createServer(
      { cert: creds.cert, key: creds.key, ca, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        if (req.url === '/count') counted++;
        if (req.url !== '/slow') {
          res.end('fast');
          return;
        }
        arrived();
        release = () => res.end('slow');
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const fetchOver = (agent: Agent, urlPath: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: (server.address() as AddressInfo).port,
          path: urlPath,
          ca,
          agent,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers a request in flight, then closes its connection', async () => {
    const tracker = trackConnections(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...politie });
    try {
      expect(await fetchOver(agent, '/fast')).toBe('fast');
      const socket = (Object.values(agent.freeSockets).flat() as TLSSocket[])[0]!;
      const inFlight = new Promise<void>((resolve) => (arrived = resolve));
      const slow = fetchOver(agent, '/slow');
      await inFlight;
      const closed = closesWithinASecond(socket);
      expect(tracker.retireAll()).toBe(1);
      release();
      expect(await slow).toBe('slow');
      await closed;
    } finally {
      agent.destroy();
    }
  });
  it('runs no request that arrives on a retired connection, and closes it after the one in flight', async () => {
    const tracker = trackConnections(server);
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      servername: 'localhost',
      ca,
      ...politie,
    });
    try {
      await once(socket, 'secureConnect');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (received += d));
      const closed = once(socket, 'close');
      const inFlight = new Promise<void>((resolve) => (arrived = resolve));
      socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await inFlight;
      expect(tracker.retireAll()).toBe(1);
      const before = counted;
      // A client that sent its next request before it saw the answer (keep-alive, pipelined).
      const parsed = once(server, 'request');
      socket.write('GET /count HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await parsed;
      release();
      await closed;
      expect(counted).toBe(before);
      expect(received).toMatch(/^HTTP\/1\.1 200[^]*Connection: close[^]*slow/i);
      // The second request ran nowhere: no second 200 (Node drops the queued 503 as it closes).
      expect(received.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
    } finally {
      socket.destroy();
    }
  });

  it('closes a connection accepted before retirement whose handshake ends after it', async () => {
    const tracker = trackConnections(server);
    const accepted = once(server, 'connection');
    const raw = netConnect((server.address() as AddressInfo).port, '127.0.0.1');
    await Promise.all([once(raw, 'connect'), accepted]);
    tracker.retireAll();
    const socket = tlsConnect({ socket: raw, servername: 'localhost', ca, ...politie });
    try {
      await once(socket, 'secureConnect');
      socket.on('error', () => undefined);
      const outcome = await new Promise<string>((resolve) => {
        socket.once('data', () => resolve('answered'));
        socket.once('close', () => resolve('closed'));
        socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
      });
      expect(outcome).toBe('closed');
    } finally {
      socket.destroy();
    }
  });
});

describe('trust narrowed', () => {
  const before = { ca: ['root', 'issuing'], revoked: new Set(['issuing|01']) };

  it('counts a removed or replaced trust anchor and a new revocation', () => {
    expect(trustNarrowed(before, { ca: ['root'], revoked: before.revoked })).toBe(true);
    expect(trustNarrowed(before, { ca: ['root', 'issuing-2'], revoked: before.revoked })).toBe(true);
    expect(trustNarrowed(before, { ca: before.ca, revoked: new Set(['issuing|01', 'root|02']) })).toBe(true);
  });

  it('leaves open connections alone for a re-signed CRL or an added trust anchor', () => {
    expect(trustNarrowed(before, { ca: before.ca, revoked: new Set(['issuing|01']) })).toBe(false);
    expect(trustNarrowed(before, { ca: [...before.ca, 'other'], revoked: before.revoked })).toBe(false);
  });
});
