// Information requests: ask the policy per (holder, category), fetch only permitted pairs, minimise,
// log every item and commit before anything is released, and sign one receipt for what was disclosed.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { CircuitOpenError } from '../../adapters/circuit-breaker.ts';
import type { Adapter } from '../../adapters/contract.ts';
import { saltedPayloadHash } from '../audit/payload-hash.ts';
import type { AuditAppender, AuditRecord, CommittedEntry, CoveringCheckpoint } from '../audit/contract.ts';
import type { CaseService } from '../cases/case-service.ts';
import { CaseNotFoundError } from '../cases/errors.ts';
import { isGranted, type Catalogue } from '../catalogue.ts';
import type { ConsentService } from '../consents/consent-service.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { policyInputHash } from '../policy/input-hash.ts';
import type { PolicyDecision, PolicyInput, PolicyReason, PolicyReview } from '../policy/types.ts';
import { newRowId } from '../store/row-id.ts';
import type { AuditReceiptsTable, Database, PartnerKind } from '../store/schema.ts';
import type { InfoRequestsTable, RequestItemsTable } from '../store/tables-requests.ts';
import type { ReviewRow } from './review-service.ts';
import { minimise } from './minimise.ts';
import { askSource, sourceFailure } from './source-failure.ts';
import { createRequestContextLoader, type RequestContext } from './request-context.ts';
import { createRequestWriter, insertRequests, type RequestRows } from './request-writer.ts';
import { toPolicyInput, type Requester } from './policy-input.ts';
import type { SubjectSealer } from './sealed-subject.ts';

export type Outcome = 'disclosed' | 'denied' | 'pending_review' | 'refused' | 'not_found' | 'error';

/** One answered (holder, category) pair, as the requester sees it. */
export interface ItemView {
  readonly category: string;
  readonly holder: string;
  readonly outcome: Outcome;
  readonly data?: Record<string, unknown>;
  readonly legalBasis?: string;
  readonly reasons: readonly PolicyReason[];
}

export interface RequestView {
  readonly id: string;
  readonly caseId: string;
  readonly purpose: string;
  readonly items: readonly ItemView[];
  readonly receipt?: string;
}

/** What a receipt covers: every disclosed item of one response. */
export interface ReceiptClaims {
  readonly requestId: string;
  readonly requester: string;
  readonly policyRevision: string;
  readonly items: readonly {
    readonly seq: number;
    readonly holder: string;
    readonly category: string;
    readonly payloadHash: string;
    readonly nonce: string;
    readonly legalBasis: string | null;
  }[];
  readonly treeSize: number;
  readonly conditions: readonly string[];
  /** The signed checkpoint committed with the newest item: the smallest covering them all. */
  readonly checkpoint?: CoveringCheckpoint | undefined;
}

export interface RequestBody {
  readonly caseId?: string | undefined;
  readonly bsn: string;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly holders?: readonly string[] | undefined;
  readonly justification?: string | undefined;
}

export interface RequestServiceDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  readonly catalogue: Catalogue;
  readonly cases: CaseService;
  readonly consents: ConsentService;
  readonly decide: (input: PolicyInput) => PolicyDecision;
  /**
   * Asks the policy without recording a decision (kept inputs are for replaying decisions): the
   * check of a professional's release before it is recorded. Default: decide.
   */
  readonly check?: (input: PolicyInput) => PolicyDecision;
  readonly adapters: (holderPartnerId: string) => Adapter | undefined;
  readonly pseudonymise: (bsn: string) => string;
  readonly pseudonymCandidates: (bsn: string) => string[];
  readonly sealer: SubjectSealer;
  readonly issueReceipt: (claims: ReceiptClaims) => Promise<string>;
  /**
   * Signs a receipt without storing it, so a new request stores it with its own rows in one
   * statement; without it, issueReceipt signs and stores it after them.
   */
  readonly prepareReceipt?: (
    claims: ReceiptClaims,
  ) => Promise<{ readonly jws: string; readonly row: Insertable<AuditReceiptsTable> }>;
  readonly now?: () => Date;
  /** The hard limit on one source's answer, whatever its adapter does (default 10 s). */
  readonly sourceDeadlineMs?: number;
  /** How long a holder's professional has for a review (default 72 h; urgent 4 h). */
  readonly reviewDueMs?: { readonly normal: number; readonly urgent: number };
  /** Called in the transaction that stores each new review (the holder's review webhook outbox). */
  readonly onReviewCreated?: (trx: Transaction<Database>, review: NewReview) => Promise<unknown>;
  /**
   * The registered partners of these kinds, ordered by id (the holders of the asked categories).
   * Default: a query per request; the composition root passes the registry's short-lived cache.
   */
  readonly holdersOfKinds?: (kinds: readonly PartnerKind[]) => Promise<readonly Holder[]>;
}

/** A partner that holds categories. */
export interface Holder {
  readonly id: string;
  readonly kind: PartnerKind;
}

/** A review just created, as a holder may be told of it: no subject, no requester's user. */
export interface NewReview {
  readonly id: string;
  readonly holderPartnerId: string;
  readonly category: string;
  readonly dueAt: Date;
}

const REVIEW_DUE = { normal: 72 * 3_600_000, urgent: 4 * 3_600_000 };
const ADAPTER_ERROR: PolicyReason = {
  code: 'SOURCE_UNAVAILABLE',
  nl: 'De bron van de houder kon nu niet antwoorden; probeer het later opnieuw.',
  en: "The holder's source could not answer now; try again later.",
};
const CIRCUIT_OPEN: PolicyReason = {
  code: 'SOURCE_CIRCUIT_OPEN',
  nl: 'De bron van de houder faalde herhaaldelijk en wordt even niet bevraagd; probeer het later opnieuw.',
  en: "The holder's source failed repeatedly and is not being called for now; try again later.",
};
const CONSENT_WITHDRAWN: PolicyReason = {
  code: 'BG_REVIEW_CANCELLED',
  nl: 'De beoordeling door de houder is vervallen.',
  en: "The holder's review was cancelled.",
};

/** A pair resolved to a holder partner. */
interface Pair {
  readonly idx: number;
  readonly holder: Holder;
  readonly category: string;
}

/** @example const requests = createRequestService({ db, audit, catalogue, cases, consents, decide, adapters, ... }); */
export function createRequestService(deps: RequestServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const reviewDue = deps.reviewDueMs ?? REVIEW_DUE;
  const sourceDeadlineMs = deps.sourceDeadlineMs ?? 10_000;
  // Requests in the same turn of the event loop share one statement to read their cases and
  // consents, and one (and its commit) to store their rows.
  const contexts = createRequestContextLoader(deps.db);
  const writer = createRequestWriter(deps.db);
  const holdersOfKinds =
    deps.holdersOfKinds ??
    ((kinds: readonly PartnerKind[]) =>
      deps.db
        .selectFrom('partners')
        .select(['id', 'kind'])
        .where('kind', 'in', kinds as PartnerKind[])
        .orderBy('id')
        .execute());

  async function resolvePairs(
    categories: readonly string[],
    holders: readonly string[] | undefined,
  ): Promise<Pair[]> {
    const unknown = categories.filter((c) => deps.catalogue.categories[c] === undefined);
    if (unknown.length > 0) {
      throw new ValidationError('Unknown category.', {
        errors: [{ field: 'categories', message: `unknown: ${unknown.join(', ')}` }],
      });
    }
    const kinds = [...new Set(categories.map((c) => deps.catalogue.categories[c]!.holder_kind))];
    const partners = await holdersOfKinds(kinds as PartnerKind[]);
    if (holders !== undefined) {
      const missing = holders.filter((h) => !partners.some((p) => p.id === h));
      if (missing.length > 0) {
        throw new ValidationError('Unknown holder.', {
          errors: [{ field: 'holders', message: `not a holder of these categories: ${missing.join(', ')}` }],
        });
      }
    }
    const pairs: Pair[] = [];
    for (const category of categories) {
      const kind = deps.catalogue.categories[category]!.holder_kind;
      for (const p of partners) {
        if (p.kind !== kind || (holders !== undefined && !holders.includes(p.id))) continue;
        pairs.push({ idx: pairs.length, holder: p, category });
      }
    }
    return pairs;
  }

  /**
   * The case a request runs in and the subject's consents in force, read together in one statement;
   * break-glass without a case opens an emergency case first.
   */
  async function contextFor(
    caller: Requester,
    body: RequestBody,
    candidates: readonly string[],
  ): Promise<RequestContext> {
    if (body.caseId !== undefined) {
      const context = await contexts.load({ caseId: body.caseId, subjectPseudonyms: candidates });
      // Break-glass needs no membership; everyone else sees only their own cases.
      if (
        context === undefined ||
        (body.purpose !== 'acuut_gevaar' &&
          !context.caseRecord.members.some((m) => m.partnerId === caller.partner.id))
      ) {
        throw new CaseNotFoundError('No such case, or you are not a member of it.');
      }
      return context;
    }
    if (body.purpose !== 'acuut_gevaar') {
      throw new ValidationError('A case is required.', {
        errors: [{ field: 'caseId', message: 'required unless purpose is acuut_gevaar' }],
      });
    }
    if (!isGranted(deps.catalogue.permissions.break_glass, caller.partner.kind, caller.user.role)) {
      throw new ForbiddenError('Only an OM officier or a politie teamleider may use break-glass.');
    }
    const opened = await deps.cases.openEmergency(caller, body.bsn);
    const caseRecord = await deps.cases.load(opened);
    if (caseRecord === undefined) throw new CaseNotFoundError('No such case.');
    return { caseRecord, consents: await deps.consents.activeFor(body.bsn) };
  }

  /** Fetches, minimises, logs (committed) and returns one permitted item. Nothing leaves before the commit. */
  async function disclose(
    requestId: string,
    pair: Pair,
    bsn: string,
    decision: PolicyDecision,
    logBase: AuditRecord,
  ): Promise<{ view: ItemView; entry: CommittedEntry; hash?: { hash: string; nonce: string } }> {
    const adapter = deps.adapters(pair.holder.id);
    let answer: Awaited<ReturnType<NonNullable<typeof adapter>['fetch']>> | undefined;
    let failure = ADAPTER_ERROR;
    try {
      answer = await askSource(adapter, { requestId, category: pair.category, bsn }, sourceDeadlineMs);
    } catch (error) {
      answer = undefined;
      failure = sourceFailure(error);
      if (error instanceof CircuitOpenError) failure = CIRCUIT_OPEN;
    }
    if (answer === undefined) {
      const entry = await deps.audit.append({
        ...logBase,
        outcome: 'error',
        reasonCodes: [failure.code],
      });
      return {
        view: { category: pair.category, holder: pair.holder.id, outcome: 'error', reasons: [failure] },
        entry,
      };
    }
    if (answer.status === 'not_found') {
      const entry = await deps.audit.append({ ...logBase, outcome: 'not_found' });
      return {
        view: {
          category: pair.category,
          holder: pair.holder.id,
          outcome: 'not_found',
          reasons: decision.reasons,
        },
        entry,
      };
    }
    const { data, withheld } = minimise(answer.record, decision.fields);
    const salted = saltedPayloadHash(data);
    // NOTE: the disclosure's entry, with the hash of exactly what is sent, commits before the response is written.
    const entry = await deps.audit.append({
      ...logBase,
      outcome: 'disclosed',
      payloadHash: salted.hash,
      withheldFields: withheld,
    });
    return {
      view: {
        category: pair.category,
        holder: pair.holder.id,
        outcome: 'disclosed',
        data,
        ...(decision.legal_basis === null ? {} : { legalBasis: decision.legal_basis }),
        reasons: decision.reasons,
      },
      entry,
      hash: salted,
    };
  }

  /** Decides and answers one pair; logs the decision whatever it is. */
  async function answerPair(
    requestId: string,
    caller: Requester,
    pair: Pair,
    bsn: string,
    input: PolicyInput,
    transactionId: string | undefined,
  ): Promise<{
    view: ItemView;
    entry: CommittedEntry;
    decision: PolicyDecision;
    hash?: { hash: string; nonce: string };
  }> {
    const decision = deps.decide(input);
    const logBase: AuditRecord = {
      type: 'request.item',
      actor: {
        partnerId: caller.partner.id,
        partnerKind: caller.partner.kind,
        user: caller.user.id,
        role: caller.user.role,
      },
      ...(transactionId === undefined ? {} : { transactionId }),
      processingActivity: 'dreigingsmanagement.informatieverzoek',
      subjectPseudonym: input.subject.pseudonym,
      parties: [caller.partner.id, pair.holder.id],
      confidential: decision.confidential,
      requestId,
      holder: pair.holder.id,
      category: pair.category,
      purpose: input.purpose,
      legalBasis: {
        ...(decision.legal_basis === null ? {} : { ground: decision.legal_basis }),
        ...(decision.gdpr_basis === null ? {} : { gdpr: decision.gdpr_basis }),
      },
      reasonCodes: decision.reasons.map((r) => r.code),
      policyRevision: decision.revision,
      policyInputHash: policyInputHash(input),
      details: { decision: decision.decision, idx: pair.idx },
    };
    if (decision.decision === 'permit') {
      return { ...(await disclose(requestId, pair, bsn, decision, logBase)), decision };
    }
    const outcome: Outcome = decision.decision === 'review' ? 'pending_review' : 'denied';
    const entry = await deps.audit.append({ ...logBase, outcome });
    return {
      view: { category: pair.category, holder: pair.holder.id, outcome, reasons: decision.reasons },
      entry,
      decision,
    };
  }

  /** What a receipt for the disclosed items states; undefined when nothing was disclosed. */
  function claimsFor(
    requestId: string,
    caller: Requester,
    answered: Awaited<ReturnType<typeof answerPair>>[],
  ): ReceiptClaims | undefined {
    const disclosed = answered.filter((a) => a.view.outcome === 'disclosed' && a.hash !== undefined);
    if (disclosed.length === 0) return undefined;
    return {
      requestId,
      requester: caller.partner.id,
      policyRevision: disclosed[0]!.decision.revision,
      items: disclosed.map((a) => ({
        seq: a.entry.seq,
        holder: a.view.holder,
        category: a.view.category,
        payloadHash: a.hash!.hash,
        nonce: a.hash!.nonce,
        legalBasis: a.decision.legal_basis,
      })),
      treeSize: Math.max(...disclosed.map((a) => a.entry.treeSize ?? a.entry.seq + 1)),
      conditions: [...new Set(disclosed.flatMap((a) => a.decision.conditions))],
      checkpoint: disclosed.reduce((a, b) => (b.entry.seq > a.entry.seq ? b : a)).entry.checkpoint,
    };
  }

  async function receiptFor(
    requestId: string,
    caller: Requester,
    answered: Awaited<ReturnType<typeof answerPair>>[],
  ): Promise<string | undefined> {
    const claims = claimsFor(requestId, caller, answered);
    return claims === undefined ? undefined : deps.issueReceipt(claims);
  }

  /** A claim on an item being answered after its review is older than this: its reader died. */
  const CLAIM_STALE_MS = 60_000;

  /**
   * Claims a reviewed item for this read (its answered_at, unused while it is pending_review, marks
   * the claim), so two reads at once do not both fetch and disclose it.
   */
  async function claimItem(requestId: string, idx: number, at: Date): Promise<boolean> {
    const claimed = await deps.db
      .updateTable('request_items')
      .set({ answered_at: at })
      .where('request_id', '=', requestId)
      .where('idx', '=', idx)
      .where('outcome', '=', 'pending_review')
      .where((eb) =>
        eb.or([
          eb('answered_at', 'is', null),
          eb('answered_at', '<', new Date(at.getTime() - CLAIM_STALE_MS)),
        ]),
      )
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1;
  }

  /**
   * Gives this read's claim on an item back for a later read (it was not answered for good); a claim
   * another read took over after CLAIM_STALE_MS is theirs and stays.
   */
  async function releaseItem(requestId: string, idx: number, at: Date): Promise<void> {
    await deps.db
      .updateTable('request_items')
      .set({ answered_at: null })
      .where('request_id', '=', requestId)
      .where('idx', '=', idx)
      .where('outcome', '=', 'pending_review')
      .where('answered_at', '=', at)
      .execute();
  }

  /** Decides (and on a release the policy accepts, discloses) a reviewed item for the caller. */
  async function answerReviewed(
    caller: Requester,
    request: Selectable<InfoRequestsTable>,
    item: Selectable<RequestItemsTable>,
    review: ReviewRow,
    transactionId: string | undefined,
    at: Date,
  ): Promise<Awaited<ReturnType<typeof answerPair>>> {
    const bsn = deps.sealer.open(request.sealed_subject!);
    const holder = await deps.db
      .selectFrom('partners')
      .select(['id', 'kind'])
      .where('id', '=', item.holder_partner_id)
      .executeTakeFirstOrThrow();
    const input = toPolicyInput({
      requestId: request.id,
      requester: caller,
      holder,
      subjectPseudonym: request.subject_pseudonym,
      caseRecord: await deps.cases.load(request.case_id),
      purpose: request.purpose,
      category: item.category,
      justification: request.justification ?? undefined,
      consents: await deps.consents.activeFor(bsn),
      review: review.decision as unknown as PolicyReview,
      now: at,
    });
    return answerPair(
      request.id,
      caller,
      { idx: item.idx, holder, category: item.category },
      bsn,
      input,
      transactionId,
    );
  }

  return {
    /**
     * Handles POST /v1/requests.
     *
     * @throws ValidationError, CaseNotFoundError, ForbiddenError; AuditUnavailableError (503) when the
     *   log cannot be written (then nothing is disclosed); PolicyUnavailableError (503).
     */
    async create(caller: Requester, body: RequestBody, transactionId?: string): Promise<RequestView> {
      if (body.purpose === 'acuut_gevaar' && (body.justification ?? '').trim() === '') {
        throw new ValidationError('Break-glass needs a justification.', {
          errors: [{ field: 'justification', message: 'required for acuut_gevaar' }],
        });
      }
      const pairs = await resolvePairs(body.categories, body.holders);
      const candidates = deps.pseudonymCandidates(body.bsn);
      const { caseRecord, consents } = await contextFor(caller, body, candidates);
      // The person is the case's subject under any key generation; otherwise need-to-know denies.
      const subjectPseudonym = candidates.includes(caseRecord.subjectPseudonym)
        ? caseRecord.subjectPseudonym
        : deps.pseudonymise(body.bsn);
      const requestId = newRowId();
      const at = now();
      const request = {
        id: requestId,
        case_id: caseRecord.id,
        requester_partner_id: caller.partner.id,
        requester_user: caller.user.id,
        requester_role: caller.user.role,
        purpose: body.purpose,
        subject_pseudonym: subjectPseudonym,
        sealed_subject: null as string | null,
        justification: body.justification ?? null,
        created_at: at,
      };
      // A break-glass use is stored before anything is asked, so the privacy officers' review list
      // holds it even if the broker stops half-way. Other requests are stored with their items,
      // after the log entries: the log is the authority on what was asked and decided.
      const breakGlass = body.purpose === 'acuut_gevaar';
      if (breakGlass) await deps.db.insertInto('info_requests').values(request).execute();

      const answered = await Promise.all(
        pairs.map((pair) =>
          answerPair(
            requestId,
            caller,
            pair,
            body.bsn,
            toPolicyInput({
              requestId,
              requester: caller,
              holder: pair.holder,
              subjectPseudonym,
              caseRecord,
              purpose: body.purpose,
              category: pair.category,
              justification: body.justification,
              consents,
              review: null,
              now: at,
            }),
            transactionId,
          ),
        ),
      );

      const reviews = answered.filter((a) => a.view.outcome === 'pending_review');
      const sealed = reviews.length > 0 ? deps.sealer.seal(body.bsn) : null;
      const items = answered.map((a, idx) => ({
        request_id: requestId,
        idx,
        holder_partner_id: a.view.holder,
        category: a.view.category,
        outcome: a.view.outcome,
        reasons: JSON.stringify(a.view.reasons),
        legal_basis: a.view.legalBasis ?? null,
        log_seq: a.entry.seq,
        answered_at: a.view.outcome === 'pending_review' ? null : at,
      }));
      const reviewRows = answered.flatMap((a, i) => {
        if (a.view.outcome !== 'pending_review' || a.decision.review === null) return [];
        const urgent = a.decision.review.urgent;
        return [
          {
            id: newRowId(),
            request_id: requestId,
            idx: i,
            holder_partner_id: a.view.holder,
            reviewer_role: a.decision.review.reviewer_role,
            category: a.view.category,
            purpose: body.purpose,
            requester_partner_id: caller.partner.id,
            urgent,
            basis_consent_ids: JSON.stringify(a.decision.review.basis_consent_ids),
            status: 'pending' as const,
            decision: null,
            decided_by_user: null,
            decided_at: null,
            due_at: new Date(at.getTime() + (urgent ? reviewDue.urgent : reviewDue.normal)),
          },
        ];
      });
      const claims = claimsFor(requestId, caller, answered);
      // Signed now (the entries are committed) so it is stored with the request, not after it.
      const prepared =
        claims === undefined || deps.prepareReceipt === undefined
          ? undefined
          : await deps.prepareReceipt(claims);
      const rows: RequestRows = {
        request: breakGlass ? undefined : { ...request, sealed_subject: sealed },
        items,
        reviews: reviewRows,
        receipt: prepared?.row,
      };
      // NOTE: every item's log entry is committed by now; nothing is answered before this write commits.
      // A break-glass request is stored already (its subject is sealed by an update), and the review
      // webhook outbox is written by a hook: both need a transaction around the one statement.
      const sealLater = breakGlass && sealed !== null;
      const notify = reviewRows.length === 0 ? undefined : deps.onReviewCreated;
      if (!sealLater && notify === undefined) {
        await writer.store(rows);
      } else {
        await deps.db.transaction().execute(async (trx) => {
          await insertRequests(trx, [rows]);
          if (sealLater) {
            await trx
              .updateTable('info_requests')
              .set({ sealed_subject: sealed })
              .where('id', '=', requestId)
              .execute();
          }
          if (notify === undefined) return;
          for (const review of reviewRows) {
            await notify(trx, {
              id: review.id,
              holderPartnerId: review.holder_partner_id,
              category: review.category,
              dueAt: review.due_at,
            });
          }
        });
      }

      const receipt = prepared?.jws ?? (claims === undefined ? undefined : await deps.issueReceipt(claims));
      return {
        id: requestId,
        caseId: caseRecord.id,
        purpose: body.purpose,
        items: answered.map((a) => a.view),
        ...(receipt === undefined ? {} : { receipt }),
      };
    },

    /**
     * Handles GET /v1/requests/{id}: the current state. An item the holder's professional released
     * is fetched and disclosed once (logged, committed, receipted) and then stored as disclosed, so
     * later reads show the outcome without the data: the professional released it for this request,
     * not as a standing feed of whatever the source holds later. A refusal is stored likewise. The
     * policy decides for the caller (the user asking now, with their role), so need-to-know holds
     * for whoever receives the data, and the log names them.
     *
     * @throws NotFoundError (ERR_NOT_FOUND) for anyone but the requesting partner.
     */
    async get(caller: Requester, requestId: string, transactionId?: string): Promise<RequestView> {
      const request = await deps.db
        .selectFrom('info_requests')
        .selectAll()
        .where('id', '=', requestId)
        .executeTakeFirst();
      if (request === undefined || request.requester_partner_id !== caller.partner.id)
        throw new NotFoundError('No such request.');
      const items = await deps.db
        .selectFrom('request_items')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('idx')
        .execute();
      const reviews = await deps.db
        .selectFrom('reviews')
        .selectAll()
        .where('request_id', '=', requestId)
        .execute();
      const views: ItemView[] = [];
      const answered: Awaited<ReturnType<typeof answerPair>>[] = [];
      // Items whose review may still open data, so the sealed subject is still needed.
      let open = 0;
      for (const item of items) {
        const review = reviews.find((r) => r.idx === item.idx);
        const base = { category: item.category, holder: item.holder_partner_id };
        const stored: ItemView = {
          ...base,
          outcome: item.outcome,
          reasons: item.reasons,
          ...(item.legal_basis === null ? {} : { legalBasis: item.legal_basis }),
        };
        if (item.outcome !== 'pending_review' || review === undefined || review.status === 'pending') {
          if (item.outcome === 'pending_review' && review?.status === 'pending') open++;
          views.push(stored);
          continue;
        }
        if (review.status === 'cancelled') {
          views.push({ ...base, outcome: 'denied', reasons: [CONSENT_WITHDRAWN] });
          continue;
        }
        if (request.sealed_subject === null) {
          views.push({ ...base, outcome: 'error', reasons: [ADAPTER_ERROR] });
          continue;
        }
        const at = now();
        if (!(await claimItem(requestId, item.idx, at))) {
          // Another read of this request is answering the item right now.
          open++;
          views.push(stored);
          continue;
        }
        let result: Awaited<ReturnType<typeof answerPair>>;
        try {
          result = await answerReviewed(caller, request, item, review, transactionId, at);
        } catch (error) {
          await releaseItem(requestId, item.idx, at);
          throw error;
        }
        // A refusal by the professional reads `refused`, not `denied`.
        const view =
          review.status === 'refused' && result.view.outcome === 'denied'
            ? { ...result.view, outcome: 'refused' as const }
            : result.view;
        // Disclosed, not found at the source, or refused: answered for good. A denial of a release
        // (a caller whose role the policy does not admit, a case closed since) or a source error
        // leaves the release standing for a later read.
        if (view.outcome === 'disclosed' || view.outcome === 'not_found' || view.outcome === 'refused') {
          const kept = await deps.db
            .updateTable('request_items')
            .set({
              outcome: view.outcome,
              reasons: JSON.stringify(view.reasons),
              legal_basis: view.legalBasis ?? null,
              log_seq: result.entry.seq,
            })
            .where('request_id', '=', requestId)
            .where('idx', '=', item.idx)
            .where('outcome', '=', 'pending_review')
            .where('answered_at', '=', at)
            .executeTakeFirst();
          if (Number(kept.numUpdatedRows) === 0) {
            // This read took longer than a claim lasts and another read took the item over: it
            // answers it. Nothing leaves here (the log over-reports this one, never under-reports).
            open++;
            views.push(stored);
            continue;
          }
        } else {
          open++;
          await releaseItem(requestId, item.idx, at);
        }
        views.push(view);
        answered.push({ ...result, view });
      }
      // Nothing left that a review could still open: the sealed BSN is no longer kept.
      if (open === 0 && request.sealed_subject !== null) {
        await deps.db
          .updateTable('info_requests')
          .set({ sealed_subject: null })
          .where('id', '=', requestId)
          .execute();
      }
      const receipt = await receiptFor(requestId, caller, answered);
      return {
        id: requestId,
        caseId: request.case_id,
        purpose: request.purpose,
        items: views,
        ...(receipt === undefined ? {} : { receipt }),
      };
    },

    /**
     * What the policy would say of a professional's release before it is recorded: the problems
     * (RELEASE_CONSENT_NOT_VALID, ...) that would keep the review pending, or none. Not a decision:
     * nothing is logged or kept for replay (a dry run would not do: the policy ignores reviews in
     * dry runs, which cannot carry one).
     */
    async checkRelease(review: ReviewRow, decision: PolicyReview): Promise<readonly string[]> {
      const request = await deps.db
        .selectFrom('info_requests')
        .selectAll()
        .where('id', '=', review.request_id)
        .executeTakeFirst();
      if (request === undefined || request.sealed_subject === null) return [];
      const requester = await deps.db
        .selectFrom('partners')
        .select(['id', 'kind', 'national'])
        .where('id', '=', request.requester_partner_id)
        .executeTakeFirst();
      const holder = await deps.db
        .selectFrom('partners')
        .select(['id', 'kind'])
        .where('id', '=', review.holder_partner_id)
        .executeTakeFirst();
      if (requester === undefined || holder === undefined) return [];
      const input = toPolicyInput({
        requestId: request.id,
        requester: { partner: requester, user: { id: request.requester_user, role: request.requester_role } },
        holder,
        subjectPseudonym: request.subject_pseudonym,
        caseRecord: await deps.cases.load(request.case_id),
        purpose: request.purpose,
        category: review.category,
        justification: request.justification ?? undefined,
        consents: await deps.consents.activeFor(deps.sealer.open(request.sealed_subject)),
        review: decision,
        now: now(),
      });
      const result = (deps.check ?? deps.decide)(input);
      return result.decision === 'review' ? (result.review?.problems ?? []) : [];
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
