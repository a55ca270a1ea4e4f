// Retention: deletes closed cases, ended consents, decided reviews and old policy inputs past their periods; never the disclosure log.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { AuditAppender } from '../audit/contract.ts';
import { createInputRecorder } from '../policy/lifecycle/retained-inputs.ts';
import type { Database } from '../store/schema.ts';

/** Retention periods in days (SCHAKEL_RETENTION_* and SCHAKEL_POLICY_INPUT_RETENTION_DAYS). */
export interface RetentionPeriods {
  /** After a case is closed: the case with its members, events, requests, items and reviews. */
  readonly caseDays: number;
  /** After a consent ended: withdrawn, or past its validUntil. */
  readonly consentDays: number;
  /** After a review was decided or cancelled (pending reviews stay); with its webhook notices. */
  readonly reviewDays: number;
  /** Retained policy decision inputs (the policy lifecycle's own period, pruned by its own rule). */
  readonly policyInputDays: number;
}

/** Rows deleted (or, in a dry run, that would be), per table. */
export interface RetentionCounts {
  cases: number;
  caseMembers: number;
  caseEvents: number;
  requests: number;
  requestItems: number;
  reviews: number;
  breakglassReviews: number;
  webhookDeliveries: number;
  consents: number;
  policyInputs: number;
}

/** The outcome of one purge. */
export interface RetentionReport {
  readonly dryRun: boolean;
  readonly at: string;
  readonly periods: RetentionPeriods;
  readonly counts: RetentionCounts;
  /** The sequence number of the summary entry in the disclosure log (not in a dry run). */
  readonly logSeq?: number;
}

const DAY_MS = 86_400_000;

/** Thrown inside the transaction to roll a dry run back with its counts. */
class DryRunRollback extends Error {
  readonly counts: RetentionCounts;
  constructor(counts: RetentionCounts) {
    super('dry run');
    this.counts = counts;
  }
}

async function deleteExpired(
  trx: Transaction<Database>,
  periods: RetentionPeriods,
  now: Date,
  logger: Logger,
): Promise<RetentionCounts> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const n = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

  // Closed cases past their period, and everything hanging off them.
  const expiredCases = trx
    .selectFrom('cases')
    .select('id')
    .where('status', '=', 'closed')
    .where('closed_at', '<', before(periods.caseDays));
  const theirRequests = trx.selectFrom('info_requests').select('id').where('case_id', 'in', expiredCases);
  const theirReviews = trx.selectFrom('reviews').select('id').where('request_id', 'in', theirRequests);
  const webhookOfCases = n(
    await trx
      .deleteFrom('webhook_deliveries')
      .where('review_id', 'in', theirReviews)
      .executeTakeFirstOrThrow(),
  );
  const reviewsOfCases = n(
    await trx.deleteFrom('reviews').where('request_id', 'in', theirRequests).executeTakeFirstOrThrow(),
  );
  const requestItems = n(
    await trx.deleteFrom('request_items').where('request_id', 'in', theirRequests).executeTakeFirstOrThrow(),
  );
  const breakglassReviews = n(
    await trx
      .deleteFrom('breakglass_reviews')
      .where('request_id', 'in', theirRequests)
      .executeTakeFirstOrThrow(),
  );
  const requests = n(
    await trx.deleteFrom('info_requests').where('case_id', 'in', expiredCases).executeTakeFirstOrThrow(),
  );
  const caseEvents = n(
    await trx.deleteFrom('case_events').where('case_id', 'in', expiredCases).executeTakeFirstOrThrow(),
  );
  const caseMembers = n(
    await trx.deleteFrom('case_members').where('case_id', 'in', expiredCases).executeTakeFirstOrThrow(),
  );
  const cases = n(
    await trx
      .deleteFrom('cases')
      .where('status', '=', 'closed')
      .where('closed_at', '<', before(periods.caseDays))
      .executeTakeFirstOrThrow(),
  );

  // Decided or cancelled reviews of cases that remain; pending ones wait for their professional.
  const reviewCutoff = before(periods.reviewDays);
  const oldReviews = trx
    .selectFrom('reviews')
    .select('id')
    .where('status', '!=', 'pending')
    .where((eb) => eb(eb.fn.coalesce('decided_at', 'created_at'), '<', reviewCutoff));
  const webhookOfReviews = n(
    await trx.deleteFrom('webhook_deliveries').where('review_id', 'in', oldReviews).executeTakeFirstOrThrow(),
  );
  const reviews = n(
    await trx
      .deleteFrom('reviews')
      .where('status', '!=', 'pending')
      .where((eb) => eb(eb.fn.coalesce('decided_at', 'created_at'), '<', reviewCutoff))
      .executeTakeFirstOrThrow(),
  );
  // Notices delivered or given up long ago (their reviews may still be pending).
  const finishedNotices = n(
    await trx
      .deleteFrom('webhook_deliveries')
      .where('status', '!=', 'pending')
      .where('finished_at', '<', reviewCutoff)
      .executeTakeFirstOrThrow(),
  );

  // Consents that ended (withdrawn, or expired) longer ago than their period.
  const consentCutoff = before(periods.consentDays);
  const consents = n(
    await trx
      .deleteFrom('consents')
      .where((eb) =>
        eb.or([
          eb('withdrawn_at', '<', consentCutoff),
          eb.and([eb('withdrawn_at', 'is', null), eb('valid_until', '<', consentCutoff)]),
        ]),
      )
      .executeTakeFirstOrThrow(),
  );

  // The policy lifecycle's own rule and period, inside this transaction.
  const policyInputs = await createInputRecorder({
    db: trx,
    logger,
    retentionDays: periods.policyInputDays,
    now: () => now,
  }).prune();

  return {
    cases,
    caseMembers,
    caseEvents,
    requests,
    requestItems,
    reviews: reviewsOfCases + reviews,
    breakglassReviews,
    webhookDeliveries: webhookOfCases + webhookOfReviews + finishedNotices,
    consents,
    policyInputs,
  };
}

export interface RetentionDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  readonly periods: RetentionPeriods;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * Purges what is past its retention period, in one transaction, and writes one summary entry
 * (`retention.purged`: periods and counts, no identifiers) to the disclosure log. The disclosure log
 * itself, its checkpoints and receipts are never touched (the log has its own prune with
 * tombstones). A dry run counts the same rows in a transaction it rolls back, and logs nothing.
 *
 * @throws whatever the database throws (nothing is deleted then); AuditUnavailableError when the
 *   summary cannot be logged after the purge committed.
 * @example const report = await purgeExpired({ db, audit, periods, logger }, { dryRun: true });
 */
export async function purgeExpired(
  deps: RetentionDeps,
  options: { dryRun: boolean },
): Promise<RetentionReport> {
  const at = (deps.now ?? (() => new Date()))();
  let counts: RetentionCounts;
  try {
    counts = await deps.db.transaction().execute(async (trx) => {
      const deleted = await deleteExpired(trx, deps.periods, at, deps.logger);
      if (options.dryRun) throw new DryRunRollback(deleted);
      return deleted;
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    return { dryRun: true, at: at.toISOString(), periods: deps.periods, counts: error.counts };
  }
  const entry = await deps.audit.append({
    type: 'retention.purged',
    actor: { role: 'operator' },
    processingActivity: 'dreigingsmanagement.bewaartermijnen',
    details: { at: at.toISOString(), periods: { ...deps.periods }, counts: { ...counts } },
  });
  return { dryRun: false, at: at.toISOString(), periods: deps.periods, counts, logSeq: entry.seq };
}
