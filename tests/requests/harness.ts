// The request flow in process for tests: real wasm policy, real store, the given sources, a recording log.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import type { Adapter } from '../../adapters/contract.ts';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import type { Caller } from '../../broker/cases/caller.ts';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { caseRoutes } from '../../broker/cases/routes.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { consentRoutes } from '../../broker/consents/routes.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createPolicyService, loadPolicyEngine } from '../../broker/policy/index.ts';
import {
  createRequestService,
  type ReceiptClaims,
  type RequestServiceDeps,
} from '../../broker/requests/request-service.ts';
import { createReviewService } from '../../broker/requests/review-service.ts';
import { requestRoutes } from '../../broker/requests/routes.ts';
import { createSubjectSealer } from '../../broker/requests/sealed-subject.ts';
import type { Store } from '../../broker/store/database.ts';
import type { PartnerKind } from '../../broker/store/schema.ts';
import { openTestStore } from '../support/databases.ts';
import { insertTestPartners, TEST_PARTNERS } from '../support/demo-partners.ts';
import { PROJECT_ROOT } from '../support/processes.ts';
import { createRecordingAppender, type RecordingAppender } from '../support/recording-audit.ts';
import { asPartner, callerFromHeader, createTestApp, requestAs } from '../support/test-caller.ts';

export const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
};

/** One answered (holder, category) pair as a test reads it. */
export interface Item {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  legalBasis?: string;
  reasons: { code: string }[];
}

export interface HarnessOptions {
  /** Sources per holder; default: every test partner answers from the demo data (simulator). */
  readonly adapters?: (holderPartnerId: string) => Adapter | undefined;
  /** Extra holder partners beyond the test partners (id and kind). */
  readonly extraPartners?: readonly { id: string; kind: PartnerKind }[];
  readonly sourceDeadlineMs?: number;
  /** Told of each new review in its transaction (the review webhook outbox). */
  readonly onReviewCreated?: RequestServiceDeps['onReviewCreated'];
}

export interface Harness {
  readonly store: Store;
  readonly app: Hono<AppEnv>;
  readonly audit: RecordingAppender;
  readonly receipts: ReceiptClaims[];
  call(
    caller: Caller,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; type: string; body: Record<string, unknown> }>;
  /** A case opened by the politie casusregisseur, in phase informatie, with the GGZ and OM as members. */
  includedCase(): Promise<string>;
  close(): Promise<void>;
}

/** The demo-data simulator for every holder of the given kinds. */
export function demoSources(
  kinds: ReadonlyMap<string, string>,
): (holderPartnerId: string) => Adapter | undefined {
  const catalogue = loadCatalogue();
  return (holder) => {
    const kind = kinds.get(holder);
    const categories = Object.entries(catalogue.categories)
      .filter(([, c]) => c.holder_kind === kind)
      .map(([name]) => name);
    return createReferenceAdapter(categories, DEMO_DATA);
  };
}

/** Builds the flow on a fresh database of `backend`. */
export async function createHarness(
  backend: 'pglite' | 'postgres',
  options: HarnessOptions = {},
): Promise<Harness> {
  const store = await openTestStore(backend);
  await insertTestPartners(store.db);
  if (options.extraPartners !== undefined && options.extraPartners.length > 0) {
    await store.db
      .insertInto('partners')
      .values(
        options.extraPartners.map((p, i) => ({
          id: p.id,
          kind: p.kind,
          identifier_type: 'oin' as const,
          identifier: `0000000100321${String(9000000 + i)}`,
          unit: '',
          organisation: p.id,
          national: false,
          token_jwks: null,
        })),
      )
      .execute();
  }
  const audit = createRecordingAppender();
  const receipts: ReceiptClaims[] = [];
  const catalogue = loadCatalogue();
  const pseudonymise = (bsn: string) => `p.${bsn}`.replace(/\d/g, (d) => String((Number(d) + 3) % 10));
  const cases = createCaseService({ db: store.db, audit, catalogue, pseudonymise });
  const reviews = createReviewService({
    db: store.db,
    audit,
    checkRelease: (review, decision) => requests.checkRelease(review, decision),
  });
  const consents = createConsentService({
    db: store.db,
    audit,
    catalogue,
    pseudonymise,
    pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    onWithdrawn: async (id) => {
      await reviews.cancelForConsent(id);
    },
  });
  const policy = createPolicyService();
  policy.activate(
    await loadPolicyEngine(readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')), 'committed'),
  );
  const kinds = new Map<string, string>([
    ...TEST_PARTNERS.map((p) => [p.id, p.kind] as const),
    ...(options.extraPartners ?? []).map((p) => [p.id, p.kind] as const),
  ]);
  const requests = createRequestService({
    db: store.db,
    audit,
    catalogue,
    cases,
    consents,
    decide: (input) => policy.decide(input),
    adapters: options.adapters ?? demoSources(kinds),
    pseudonymise,
    pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    sealer: createSubjectSealer(randomBytes(32)),
    issueReceipt: (claims) => {
      receipts.push(claims);
      return Promise.resolve(`receipt-${receipts.length}`);
    },
    ...(options.sourceDeadlineMs === undefined ? {} : { sourceDeadlineMs: options.sourceDeadlineMs }),
    ...(options.onReviewCreated === undefined ? {} : { onReviewCreated: options.onReviewCreated }),
  });
  const getCaller = callerFromHeader;
  const app = createTestApp([
    caseRoutes({ cases, getCaller }),
    consentRoutes({ consents, getCaller }),
    requestRoutes({ requests, reviews, getCaller, getRequester: getCaller }),
  ]);
  const call: Harness['call'] = async (caller, method, url, body) => {
    const res = await requestAs(app, caller, method, url, body);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown>,
    };
  };
  const regisseur = asPartner('demo-politie', 'casusregisseur');
  return {
    store,
    app,
    audit,
    receipts,
    call,
    async includedCase() {
      const opened = await call(regisseur, 'POST', '/v1/cases', {
        subject: { bsn: DEMO_BSN },
        melding: MELDING,
      });
      const id = opened.body.id as string;
      await call(regisseur, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-ggz', role: 'behandelaar' });
      await call(regisseur, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-om', role: 'officier' });
      await call(regisseur, 'POST', `/v1/cases/${id}/events`, {
        type: 'inclusiebesluit',
        data: { besluit: 'in' },
      });
      return id;
    },
    close: () => store.close(),
  };
}
