// The partner API for fuzzing through app.request(): the real identity guard (injected peer certificate), real routes, real log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { JWK } from 'jose';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { createAuditLog, type AuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { createPseudonymizer } from '../../broker/audit/pseudonym.ts';
import { createAuditQueries } from '../../broker/audit/reader.ts';
import { createReceiptService } from '../../broker/audit/receipts.ts';
import { auditRoutes, readerFromIdentity } from '../../broker/audit/routes.ts';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createFlow } from '../../broker/flow.ts';
import { createApp } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { identityGuard } from '../../broker/identity/guard.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import type { PeerCertificate } from '../../broker/identity/peer-certificate.ts';
import { createRegistry } from '../../broker/identity/registry.ts';
import { requirePerson, requireUser } from '../../broker/identity/require.ts';
import { whoamiRoutes } from '../../broker/identity/whoami-routes.ts';
import { createLogger } from '../../broker/logger.ts';
import { createPolicyService, loadPolicyEngine } from '../../broker/policy/index.ts';
import { evaluationRoutes } from '../../broker/policy/evaluation-routes.ts';
import { createSubjectSealer } from '../../broker/requests/sealed-subject.ts';
import type { Store } from '../../broker/store/database.ts';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { x509 } from '../../keys/crypto.ts';
import { issuePartnerCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { openTestStore, scratchDir } from '../support/databases.ts';
import { insertTestPartners, TEST_PARTNERS } from '../support/demo-partners.ts';
import { PROJECT_ROOT } from '../support/processes.ts';
import { memoryAppender } from '../identity/support.ts';

export const DEMO_BSN = '111222333';

/** A partner system: its DER certificate, its RFC 8705 thumbprint and its token-signing key. */
export interface FuzzSystem {
  readonly raw: Uint8Array;
  readonly x5tS256: string;
  readonly tokenKey: JWK;
}

export interface FuzzApi extends FuzzSystem {
  readonly app: Hono<AppEnv>;
  readonly store: Store;
  readonly log: AuditLog;
  /** The GGZ system (the holder that records consents and care status); the fields above are the politie's. */
  readonly ggz: FuzzSystem;
  /** The peer certificate the next request presents (undefined: none). */
  peer: PeerCertificate | undefined;
  close(): Promise<void>;
}

/** Issues a system certificate for a test partner and registers its token keys. */
async function issueSystem(dir: string, store: Store, partnerId: string): Promise<FuzzSystem> {
  const partner = TEST_PARTNERS.find((p) => p.id === partnerId)!;
  const out = path.join(dir, partner.id);
  await issuePartnerCertificate(dir, {
    partnerId: partner.id,
    // A GGZ institution is identified by its URA, as UZI server certificates carry it.
    ...(partner.kind === 'ggz' ? { ura: partner.identifier } : { oin: partner.identifier }),
    unit: partner.unit,
    organisation: partner.id,
    out,
  });
  const raw = new Uint8Array(new x509.X509Certificate(readFileSync(issuedFiles(out).cert, 'utf8')).rawData);
  const tokenKey = JSON.parse(readFileSync(path.join(out, 'token-key.jwk'), 'utf8')) as JWK;
  const jwks = readFileSync(path.join(out, 'token-jwks.json'), 'utf8');
  await store.db.updateTable('partners').set({ token_jwks: jwks }).where('id', '=', partner.id).execute();
  return { raw, x5tS256: certificateFacts(raw).x5tS256, tokenKey };
}

/** Builds the API on a fresh database of the backend with a politie and a GGZ system registered with their token keys. */
export async function openFuzzApi(backend: 'pglite' | 'postgres'): Promise<FuzzApi> {
  const dir = scratchDir('fuzz-pki');
  await createPki(dir);
  const store = await openTestStore(backend);
  await insertTestPartners(store.db);
  const politie = await issueSystem(dir, store, 'demo-politie');
  const ggz = await issueSystem(dir, store, 'demo-ggz');
  const { raw, tokenKey } = politie;
  const keyring = await loadKeyring(await generateKeyringFile());
  const log = createAuditLog({ db: store.db, keyring });
  const silent = createLogger({ level: 'silent' });
  // Identity refusals go to memory: thousands of them would only slow the fuzzing down.
  const identityAudit = createIdentityAudit(memoryAppender(), silent);
  const registry = createRegistry(store.db, identityAudit);
  const policy = createPolicyService();
  policy.activate(
    await loadPolicyEngine(readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')), 'committed'),
  );
  const pseudonyms = createPseudonymizer({ current: 'p1', keys: { p1: randomBytes(32) } });
  const reference = createReferenceAdapter(Object.keys(loadCatalogue().categories), DEMO_DATA);
  const flow = createFlow({
    db: store.db,
    audit: log,
    receipts: createReceiptService({ db: store.db, keyring }),
    catalogue: loadCatalogue(),
    pseudonyms,
    decide: (input) => policy.decide(input),
    adapters: () => reference,
    sealer: createSubjectSealer(randomBytes(32)),
    getCaller: (c) => requireUser(c),
    getRequester: (c) => requireUser(c),
    getPrivacyOfficer: (c) => {
      const person = requirePerson(c, ['privacy_officer']);
      return { id: person.id, partnerId: person.partnerId };
    },
  });
  const api = {
    peer: { raw, authorized: true } as PeerCertificate | undefined,
  };
  const app = createApp({
    logger: silent,
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 65_536,
    guards: [
      identityGuard({
        getPeerCertificate: () => api.peer,
        registry,
        // A trust store with current CRLs and nothing revoked (fuzzing the certificate, not the CRLs).
        trust: { isRevoked: () => false, status: () => ({ ok: true, problems: [] }) },
        audit: identityAudit,
      }),
    ],
    routes: [
      whoamiRoutes(),
      evaluationRoutes({
        policy,
        findCase: async (id) => {
          const record = await flow.cases.load(id);
          return record === undefined
            ? null
            : {
                id: record.id,
                status: record.status,
                phase: record.phase,
                subject_pseudonym: record.subjectPseudonym,
                lead_partner: record.leadPartnerId,
                emergency: record.emergency,
                members: record.members.map((m) => ({ partner_id: m.partnerId, role: m.role })),
              };
        },
        pseudonymize: (bsn) => pseudonyms.pseudonym(bsn),
        now: Date.now,
      }),
      ...flow.routes,
      auditRoutes({
        queries: createAuditQueries(store.db),
        receipts: createReceiptService({ db: store.db, keyring }),
        jwks: () => keyring.jwks,
        getReader: (c) => readerFromIdentity(c.get('identity')),
      }),
    ],
  });
  const fixture: FuzzApi = {
    app,
    store,
    log,
    raw,
    x5tS256: politie.x5tS256,
    tokenKey,
    ggz,
    get peer() {
      return api.peer;
    },
    set peer(value) {
      api.peer = value;
    },
    async close() {
      await log.close();
      await store.close();
    },
  };
  return fixture;
}

/** Checks what every answer must be: no 5xx, and every refusal a problem+json with a stable code. */
export async function expectWellFormed(res: Response): Promise<Record<string, unknown> | undefined> {
  expect(res.status, `status ${res.status}`).toBeLessThan(500);
  const text = await res.text();
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = JSON.parse(text) as { code?: string; status?: number };
    expect(problem.code).toMatch(/^ERR_[A-Z_]+$/);
    expect(problem.status).toBe(res.status);
    return problem;
  }
  return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** Every item a response disclosed has its committed `disclosed` entry in the log. */
export async function expectDisclosuresLogged(store: Store, body: Record<string, unknown> | undefined) {
  const items = (body?.items ?? []) as { outcome?: string; category?: string }[];
  const disclosed = items.filter((i) => i.outcome === 'disclosed');
  if (disclosed.length === 0) return 0;
  const rows = await sql<{ body: string }>`
    select body from audit_entries where type = 'request.item' order by seq`.execute(store.db);
  const logged = rows.rows
    .map((r) => JSON.parse(r.body) as { requestId?: string; outcome?: string; category?: string })
    .filter((e) => e.requestId === body?.id && e.outcome === 'disclosed');
  for (const item of disclosed) expect(logged.some((e) => e.category === item.category)).toBe(true);
  return disclosed.length;
}
