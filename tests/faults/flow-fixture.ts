// The real request flow in process for fault tests: real store, real disclosure log and receipts, real wasm policy, injected sources.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono, MiddlewareHandler } from 'hono';
import { compactVerify, createLocalJWKSet } from 'jose';
import { sql } from 'kysely';
import type { Adapter } from '../../adapters/contract.ts';
import { createAuditLog, type AuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring, type Keyring } from '../../broker/audit/keyring.ts';
import { createPseudonymizer } from '../../broker/audit/pseudonym.ts';
import { createReceiptService } from '../../broker/audit/receipts.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import type { Caller } from '../../broker/cases/caller.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createFlow } from '../../broker/flow.ts';
import { createApp } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { createLogger } from '../../broker/logger.ts';
import { createPolicyService, loadPolicyEngine } from '../../broker/policy/index.ts';
import { createSubjectSealer } from '../../broker/requests/sealed-subject.ts';
import type { Store } from '../../broker/store/database.ts';
import { openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { PROJECT_ROOT } from '../support/processes.ts';
import { asPartner, callerFromHeader, requestAs } from '../support/test-caller.ts';

export const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
};

export const REGISSEUR = asPartner('demo-politie', 'casusregisseur');

export interface FlowItem {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  reasons: { code: string }[];
}

export interface FlowFixture {
  readonly store: Store;
  readonly log: AuditLog;
  readonly keyring: Keyring;
  readonly app: Hono<AppEnv>;
  /** POSTs or GETs as `caller`; answers status, headers and the parsed body. */
  call(
    caller: Caller,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  /** Opens a case with the GGZ and OM as members, in phase informatie; answers its id. */
  includedCase(): Promise<string>;
  /** The committed log entries of a request, by outcome. */
  committedOutcomes(requestId: string): Promise<string[]>;
  /** Checks a receipt against the log's JWKS; answers its payload. */
  verifyReceipt(jws: string): Promise<{ items: { seq: number; category: string }[] }>;
  /** Recomputes the chain and checkpoints. */
  verify(): Promise<{ ok: boolean }>;
  close(): Promise<void>;
}

/**
 * Builds the flow over a fresh database of the backend, with `adapters` as the holders' sources and
 * `guards` (e.g. the partner limits) before the routes.
 */
export async function openFlowFixture(options: {
  backend: 'pglite' | 'postgres';
  adapters: (holder: string) => Adapter | undefined;
  guards?: readonly MiddlewareHandler<AppEnv>[];
  maxQueue?: number;
  /** Called each time the flow hands the log a record (before the log accepts or refuses it). */
  countAppends?: () => void;
}): Promise<FlowFixture> {
  const store = await openTestStore(options.backend);
  await insertTestPartners(store.db);
  const keyring = await loadKeyring(await generateKeyringFile());
  const log = createAuditLog({
    db: store.db,
    keyring,
    ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
  });
  const policy = createPolicyService();
  policy.activate(
    await loadPolicyEngine(readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')), 'committed'),
  );
  const flow = createFlow({
    db: store.db,
    audit: {
      append(record) {
        options.countAppends?.();
        return log.append(record);
      },
    },
    receipts: createReceiptService({ db: store.db, keyring }),
    catalogue: loadCatalogue(),
    pseudonyms: createPseudonymizer({ current: 'p1', keys: { p1: randomBytes(32) } }),
    decide: (input) => policy.decide(input),
    adapters: options.adapters,
    sealer: createSubjectSealer(randomBytes(32)),
    getCaller: callerFromHeader,
    getRequester: callerFromHeader,
    getPrivacyOfficer: () => {
      throw new Error('not in these tests');
    },
  });
  const app = createApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 65_536,
    guards: options.guards ?? [],
    routes: flow.routes,
  });
  const call: FlowFixture['call'] = async (caller, method, url, body) => {
    const res = await requestAs(app, caller, method, url, body);
    return {
      status: res.status,
      headers: res.headers,
      body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown>,
    };
  };
  const jwks = createLocalJWKSet(keyring.jwks as Parameters<typeof createLocalJWKSet>[0]);
  return {
    store,
    log,
    keyring,
    app,
    call,
    async includedCase() {
      const opened = await call(REGISSEUR, 'POST', '/v1/cases', {
        subject: { bsn: '111222333' },
        melding: MELDING,
      });
      const id = opened.body.id as string;
      await call(REGISSEUR, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-ggz', role: 'behandelaar' });
      await call(REGISSEUR, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-om', role: 'officier' });
      await call(REGISSEUR, 'POST', `/v1/cases/${id}/events`, {
        type: 'inclusiebesluit',
        data: { besluit: 'in' },
      });
      return id;
    },
    async committedOutcomes(requestId) {
      const rows = await sql<{ body: string }>`
        select body from audit_entries where type = 'request.item' order by seq`.execute(store.db);
      return rows.rows
        .map((r) => JSON.parse(r.body) as { requestId?: string; outcome?: string })
        .filter((e) => e.requestId === requestId)
        .map((e) => e.outcome ?? '');
    },
    async verifyReceipt(jws) {
      const { payload } = await compactVerify(jws, jwks);
      return JSON.parse(new TextDecoder().decode(payload)) as { items: { seq: number; category: string }[] };
    },
    verify: () => verifyLog({ db: store.db, jwks: keyring.jwks }),
    async close() {
      await log.close();
      await store.close();
    },
  };
}
