// Wires the request flow (cases, consents, requests, reviews) from already-opened parts; no I/O of its own.
import type { Kysely } from 'kysely';
import type { Adapter } from '../adapters/contract.ts';
import type { AuditAppender } from './audit/contract.ts';
import type { ReceiptService } from './audit/receipts.ts';
import { createCaseService } from './cases/case-service.ts';
import { caseRoutes, type GetCaller } from './cases/routes.ts';
import type { Catalogue } from './catalogue.ts';
import { createConsentService } from './consents/consent-service.ts';
import { consentRoutes } from './consents/routes.ts';
import type { RouteModule } from './http/app.ts';
import type { PolicyDecision, PolicyInput } from './policy/types.ts';
import type { Requester } from './requests/policy-input.ts';
import {
  createRequestService,
  type ReceiptClaims,
  type RequestServiceDeps,
} from './requests/request-service.ts';
import { createReviewService } from './requests/review-service.ts';
import { createBreakglassService, type Reviewer } from './requests/breakglass-service.ts';
import { breakglassRoutes } from './requests/breakglass-routes.ts';
import { requestRoutes } from './requests/routes.ts';
import type { SubjectSealer } from './requests/sealed-subject.ts';
import type { Database } from './store/schema.ts';

export interface FlowDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  readonly receipts: Pick<ReceiptService, 'signReceipt'> & Partial<Pick<ReceiptService, 'prepareReceipt'>>;
  readonly catalogue: Catalogue;
  readonly pseudonyms: { pseudonym(bsn: string): string; candidates(bsn: string): string[] };
  readonly decide: (input: PolicyInput) => PolicyDecision;
  /** The policy without recording (see RequestServiceDeps.check). */
  readonly check?: (input: PolicyInput) => PolicyDecision;
  readonly adapters: (holderPartnerId: string) => Adapter | undefined;
  readonly sealer: SubjectSealer;
  readonly getCaller: GetCaller;
  readonly getRequester: (c: Parameters<GetCaller>[0]) => Requester;
  /** A signed-in privacy officer; refuses anyone else. */
  readonly getPrivacyOfficer: (c: Parameters<GetCaller>[0]) => Reviewer;
  /** Told of each new review inside the transaction that stores it (the review webhook outbox). */
  readonly onReviewCreated?: RequestServiceDeps['onReviewCreated'];
  /** The holders of categories by kind (the registry's cache); default: a query per request. */
  readonly holdersOfKinds?: RequestServiceDeps['holdersOfKinds'];
  /** Retention of disclosed data at the requester, stated in receipts (rule 8). */
  readonly retentionDays?: number;
  /**
   * The services' clock. Only `schakel demo generate` sets it (a simulated clock for a synthetic
   * history); the broker's composition root never does, and no client can supply a time.
   */
  readonly now?: () => Date;
}

/** Maps the policy's condition codes to the receipt's onward-use conditions (rule 8). */
export function onwardUse(claims: ReceiptClaims, retentionDays: number, now: Date) {
  const forbidden = claims.conditions.includes('wiv_65_geen_verdere_verstrekking');
  return {
    onwardSharing: forbidden ? ('forbidden' as const) : ('within_case' as const),
    retainUntil: new Date(now.getTime() + retentionDays * 86_400_000).toISOString().slice(0, 10),
    note: claims.conditions.join(', '),
  };
}

/** The flow's services, for callers outside HTTP (the synthetic-history generator). */
export interface FlowServices {
  readonly cases: ReturnType<typeof createCaseService>;
  readonly consents: ReturnType<typeof createConsentService>;
  readonly requests: ReturnType<typeof createRequestService>;
  readonly reviews: ReturnType<typeof createReviewService>;
  readonly breakglass: ReturnType<typeof createBreakglassService>;
}

/** Builds the flow's services and their route modules. */
export function createFlow(deps: FlowDeps): {
  routes: RouteModule[];
  cases: ReturnType<typeof createCaseService>;
  services: FlowServices;
} {
  const clock = deps.now === undefined ? {} : { now: deps.now };
  const prepareReceipt = deps.receipts.prepareReceipt;
  const receiptInput = (claims: ReceiptClaims) => ({
    requestId: claims.requestId,
    requester: claims.requester,
    policyRevision: claims.policyRevision,
    items: claims.items.map((i) => ({
      seq: i.seq,
      category: i.category,
      holder: i.holder,
      payloadHash: i.payloadHash,
      nonce: i.nonce,
    })),
    conditions: onwardUse(claims, deps.retentionDays ?? 365, deps.now?.() ?? new Date()),
    checkpoint: claims.checkpoint,
  });
  const pseudonymise = (bsn: string) => deps.pseudonyms.pseudonym(bsn);
  const pseudonymCandidates = (bsn: string) => deps.pseudonyms.candidates(bsn);
  const cases = createCaseService({
    db: deps.db,
    audit: deps.audit,
    catalogue: deps.catalogue,
    pseudonymise,
    ...clock,
  });
  const reviews = createReviewService({
    db: deps.db,
    audit: deps.audit,
    // A release is checked against the policy before it is recorded (the request service holds the
    // request's context); `requests` is built below and only called later.
    checkRelease: (review, decision) => requests.checkRelease(review, decision),
    ...clock,
  });
  const consents = createConsentService({
    db: deps.db,
    audit: deps.audit,
    catalogue: deps.catalogue,
    pseudonymise,
    pseudonymCandidates,
    onWithdrawn: async (id) => {
      await reviews.cancelForConsent(id);
    },
    ...clock,
  });
  const requests = createRequestService({
    db: deps.db,
    audit: deps.audit,
    catalogue: deps.catalogue,
    cases,
    consents,
    decide: deps.decide,
    ...(deps.check === undefined ? {} : { check: deps.check }),
    adapters: deps.adapters,
    pseudonymise,
    pseudonymCandidates,
    sealer: deps.sealer,
    ...(deps.onReviewCreated === undefined ? {} : { onReviewCreated: deps.onReviewCreated }),
    ...(deps.holdersOfKinds === undefined ? {} : { holdersOfKinds: deps.holdersOfKinds }),
    issueReceipt: async (claims) => (await deps.receipts.signReceipt(receiptInput(claims))).jws,
    ...(prepareReceipt === undefined
      ? {}
      : { prepareReceipt: (claims: ReceiptClaims) => prepareReceipt(receiptInput(claims)) }),
    ...clock,
  });
  const breakglass = createBreakglassService({ db: deps.db, audit: deps.audit, ...clock });
  return {
    cases,
    services: { cases, consents, requests, reviews, breakglass },
    routes: [
      caseRoutes({ cases, getCaller: deps.getCaller }),
      consentRoutes({ consents, getCaller: deps.getCaller }),
      requestRoutes({ requests, reviews, getCaller: deps.getCaller, getRequester: deps.getRequester }),
      breakglassRoutes({
        breakglass,
        getPrivacyOfficer: deps.getPrivacyOfficer,
      }),
    ],
  };
}
