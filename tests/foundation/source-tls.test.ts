// The agent the broker reaches holders' sources with always verifies the source's certificate.
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAgent } from '../../broker/main.ts';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from '../support/databases.ts';
import { clientFiles, type ClientFiles } from '../identity/support.ts';

describe('the source agent', () => {
  const ours = scratchDir('source-tls-ours');
  const theirs = scratchDir('source-tls-theirs');
  let server: Server;
  let client: ClientFiles;
  let url: string;

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
    client = clientFiles(out);
    // A source whose certificate comes from a CA the broker was not told to trust.
    const creds = readServerCredentials(theirs);
    server = createServer({ cert: creds.cert, key: creds.key }, (_req, res) =>
      res.end('{"status":"not_found"}'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('refuses a source signed by an untrusted CA even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const agent = sourceAgent({ ...client, ca: readServerCredentials(ours).ca });
    try {
      await expect(fetch(url, { dispatcher: agent })).rejects.toThrow();
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
      await agent.close();
    }
  });

  it('reaches a source whose CA it was given', async () => {
    const agent = sourceAgent({ ...client, ca: readServerCredentials(theirs).ca });
    try {
      expect((await fetch(url, { dispatcher: agent })).status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});
