// The review webhook transport always verifies the receiver's certificate, whatever the environment says.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpsTransport } from '../../broker/webhooks/https-transport.ts';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from '../support/databases.ts';

describe('the review webhook transport', () => {
  const ours = scratchDir('webhook-tls-ours');
  const theirs = scratchDir('webhook-tls-theirs');
  let server: Server;
  let url: string;
  let client: { cert: string; key: string };

  beforeAll(async () => {
    await createPki(ours);
    await createPki(theirs);
    const out = path.join(ours, 'out', 'broker');
    await issuePartnerCertificate(ours, {
      partnerId: 'broker',
      oin: '00000001800000002000',
      organisation: 'B',
      out,
    });
    client = {
      cert: readFileSync(path.join(out, 'cert.pem'), 'utf8'),
      key: readFileSync(path.join(out, 'key.pem'), 'utf8'),
    };
    // A receiver whose certificate comes from a CA the broker was not told to trust.
    const creds = readServerCredentials(theirs);
    server = createServer({ cert: creds.cert, key: creds.key }, (_req, res) => res.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('refuses a receiver signed by an untrusted CA even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const https = createHttpsTransport({ ...client, ca: readServerCredentials(ours).ca });
    try {
      await expect(https.send(url, '{}', {}, AbortSignal.timeout(5_000))).rejects.toThrow();
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
      await https.close();
    }
  });

  it('reaches a receiver whose CA it was given', async () => {
    const https = createHttpsTransport({ ...client, ca: readServerCredentials(theirs).ca });
    try {
      expect(await https.send(url, '{}', {}, AbortSignal.timeout(5_000))).toBe(200);
    } finally {
      await https.close();
    }
  });
});
