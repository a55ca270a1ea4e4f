// A test HTTPS server whose certificate comes from a CA the broker was not told to trust, and the broker's own client certificate: for checks that verification cannot be turned off.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from './databases.ts';

export interface UntrustedHttps {
  readonly url: string;
  /** The broker's client certificate chain and key (PEM), issued by the broker's own CA. */
  readonly client: { readonly cert: string; readonly key: string };
  /** The broker's own CA: the server's certificate does not chain to it. */
  readonly ourCa: string;
  /** The CA the server's certificate does chain to. */
  readonly theirCa: string;
  close(): void;
}

/** Starts the server on a free port; it answers every request 200 with `body`. */
export async function startUntrustedHttps(name: string, body: string): Promise<UntrustedHttps> {
  const ours = scratchDir(`${name}-ours`);
  const theirs = scratchDir(`${name}-theirs`);
  await createPki(ours);
  await createPki(theirs);
  const out = path.join(ours, 'out', 'broker');
  await issuePartnerCertificate(ours, {
    partnerId: 'broker',
    oin: '00000001800000002000',
    organisation: 'B',
    out,
  });
  const creds = readServerCredentials(theirs);
  const server: Server = createServer({ cert: creds.cert, key: creds.key }, (_req, res) => res.end(body));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    client: {
      cert: readFileSync(path.join(out, 'cert.pem'), 'utf8'),
      key: readFileSync(path.join(out, 'key.pem'), 'utf8'),
    },
    ourCa: readServerCredentials(ours).ca,
    theirCa: creds.ca,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Runs `work` with NODE_TLS_REJECT_UNAUTHORIZED=0 set, as a careless environment might, and restores it. */
export async function withVerificationOffInEnvironment<T>(work: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
  }
}
