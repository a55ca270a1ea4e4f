// Enqueues a review notice in the same transaction that creates the review, so a committed review is never left unannounced.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { newRowId } from '../store/row-id.ts';
import type { Database } from '../store/schema.ts';

/** What a holder is told of a new review: never the subject, the requester's user or the purpose. */
export interface ReviewNotice {
  readonly reviewId: string;
  readonly holderPartnerId: string;
  readonly category: string;
  readonly dueAt: Date;
}

export interface WebhookOutboxOptions {
  /** Pending deliveries per holder at most; beyond it the holder's new notice is dropped with a warning (the review itself stands). */
  readonly maxQueue: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Enqueues notices; `enqueue` runs inside the caller's transaction. */
export interface WebhookOutbox {
  /** Queues a notice when the holder registered a webhook; returns whether one was queued. */
  enqueue(trx: Transaction<Database> | Kysely<Database>, notice: ReviewNotice): Promise<boolean>;
}

/**
 * The outbox. Each holder's queue is bounded: when `maxQueue` of its deliveries are pending (its
 * receiver down for long), its new notices are dropped and logged (ids and counts only), never the
 * request that created the review, and never another holder's notices; the review still shows at
 * GET /v1/reviews.
 *
 * @example const outbox = createWebhookOutbox({ maxQueue: 10_000, logger });
 */
export function createWebhookOutbox(options: WebhookOutboxOptions): WebhookOutbox {
  const now = options.now ?? (() => new Date());
  return {
    async enqueue(trx, notice) {
      const hook = await trx
        .selectFrom('review_webhooks')
        .select('partner_id')
        .where('partner_id', '=', notice.holderPartnerId)
        .executeTakeFirst();
      if (hook === undefined) return false;
      // The bound is per holder: a holder whose endpoint is down keeps its notices pending for the
      // whole back-off, and must not use up the queue of every other holder. Counting stops at the
      // bound, over the (partner_id, status, next_attempt_at) index of migration 0016.
      const { pending } = await trx
        .selectFrom((eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('partner_id')
            .where('partner_id', '=', notice.holderPartnerId)
            .where('status', '=', 'pending')
            .limit(options.maxQueue)
            .as('queued'),
        )
        .select((eb) => eb.fn.countAll<string | number>().as('pending'))
        .executeTakeFirstOrThrow();
      if (Number(pending) >= options.maxQueue) {
        options.logger.warn(
          {
            reviewId: notice.reviewId,
            partner: notice.holderPartnerId,
            pending: Number(pending),
            maxQueue: options.maxQueue,
          },
          'review webhook queue full: notice dropped',
        );
        return false;
      }
      const at = now();
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id: newRowId(),
          partner_id: notice.holderPartnerId,
          review_id: notice.reviewId,
          payload: JSON.stringify({
            event: 'review.created',
            reviewId: notice.reviewId,
            category: notice.category,
            dueAt: notice.dueAt.toISOString(),
          }),
          status: 'pending',
          attempts: 0,
          next_attempt_at: at,
          last_error: null,
          created_at: at,
          finished_at: null,
        })
        .execute();
      return true;
    },
  };
}
