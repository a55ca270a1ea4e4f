// Test support for identity: a PKI made in the test, a broker partner port over real TLS, and an HTTPS client.
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { request as httpsRequest, type Server as HttpsServer } from 'node:https';
import path from 'node:path';
import pino from 'pino';
import type { AuditAppender, AuditRecord } from '../../broker/audit/contract.ts';
import { validateRecord } from '../../broker/audit/entry.ts';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { startPartnerServer } from '../../broker/http/servers.ts';
import { trackConnections } from '../../broker/identity/connections.ts';
import { identityGuard } from '../../broker/identity/guard.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import { nodePeerCertificate } from '../../broker/identity/peer-certificate.ts';
import { createRegistry, type Registry } from '../../broker/identity/registry.ts';
import { watchRevocations } from '../../broker/identity/revocation-watch.ts';
import { createTrustStore, type TrustStore } from '../../broker/identity/trust-store.ts';
import { whoamiRoutes } from '../../broker/identity/whoami-routes.ts';
import type { Store } from '../../broker/store/database.ts';
import { pkiPaths, readServerCredentials } from '../../keys/dev-pki.ts';
import { issuedFiles, issuePartnerCertificate } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { crlFiles } from '../../keys/pki-files.ts';
import { openTestStore } from '../support/databases.ts';

/** An appender that keeps records in memory, for assertions; it refuses what the real one refuses (a BSN). */
export function memoryAppender(): AuditAppender & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return {
    records,
    // async, so that a refused record rejects as the real appender's append does.
    async append(record) {
      await Promise.resolve();
      validateRecord(record);
      records.push(record);
      return { seq: records.length, hash: '' };
    },
  };
}

export const silentLogger = pino({ level: 'silent' });

/** A client's TLS files. */
export interface ClientFiles {
  readonly cert: string;
  readonly key: string;
}

/** The files `pki issue` wrote to `out`. */
export function clientFiles(out: string): ClientFiles {
  const f = issuedFiles(out);
  return { cert: readFileSync(f.cert, 'utf8'), key: readFileSync(f.key, 'utf8') };
}

export interface TestBroker {
  readonly server: HttpsServer;
  readonly port: number;
  readonly registry: Registry;
  readonly trust: TrustStore;
  readonly records: AuditRecord[];
  readonly ca: string;
  close(): Promise<void>;
}

/** Starts the partner port (guard + whoami) on port 0 over the PKI in `pkiDir`, watching its CRLs. */
export async function startTestBroker(pkiDir: string, store: Store): Promise<TestBroker> {
  const appender = memoryAppender();
  const audit = createIdentityAudit(appender, silentLogger);
  const registry = createRegistry(store.db, audit);
  const files = crlFiles(pkiDir);
  const trust = createTrustStore({
    caFiles: [pkiPaths(pkiDir).caBundle],
    crlFiles: [files.root, files.issuing],
  });
  const creds = readServerCredentials(pkiDir);
  const app = createApp({
    logger: silentLogger,
    metrics: createHttpMetrics(),
    maxBodyBytes: 1 << 20,
    guards: [identityGuard({ getPeerCertificate: nodePeerCertificate, registry, trust, audit })],
    routes: [whoamiRoutes()],
  });
  const server = await startPartnerServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: creds.cert, key: creds.key, ca: trust.material().ca, crl: trust.material().crl },
    app,
  });
  const tracker = trackConnections(server);
  watchRevocations({
    server,
    trust,
    tracker,
    serverCredentials: creds,
    logger: silentLogger,
    intervalMs: 100,
  });
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    registry,
    trust,
    records: appender.records,
    ca: creds.ca,
    async close() {
      trust.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

/** GETs a path over mTLS (a fresh connection unless an agent is given). */
export function get(
  broker: { port: number; ca: string },
  urlPath: string,
  client: ClientFiles | undefined,
  options: { agent?: Agent; token?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: broker.port,
        path: urlPath,
        ca: broker.ca,
        ...(client === undefined ? {} : { cert: client.cert, key: client.key }),
        agent: options.agent ?? false,
        headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export { path };

/** The national team's OIN, as the identity tests register it. */
export const POLITIE_OIN = '00000001800000001000';

/**
 * A dev PKI in `dir`, a test broker on a fresh PGlite store, and the politie (national team, unit
 * LTDM) registered with a client certificate issued for it.
 */
export async function brokerWithPolitie(
  dir: string,
): Promise<{ store: Store; broker: TestBroker; politie: ClientFiles }> {
  await createPki(dir);
  const out = path.join(dir, 'out', 'politie');
  await issuePartnerCertificate(dir, {
    partnerId: 'politie',
    oin: POLITIE_OIN,
    organisation: 'Politie',
    unit: 'LTDM',
    out,
  });
  const store = await openTestStore('pglite');
  const broker = await startTestBroker(dir, store);
  await broker.registry.addPartner({
    id: 'politie',
    kind: 'politie',
    identifierType: 'oin',
    identifier: POLITIE_OIN,
    unit: 'LTDM',
    organisation: 'Politie',
    national: true,
  });
  return { store, broker, politie: clientFiles(out) };
}
