// Delivers queued review notices: signed, over HTTPS, retried with exponential back-off, given up after N attempts.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../store/schema.ts';
import type { WebhookTransport } from './https-transport.ts';
import type { NoticeSigner } from './signer.ts';

export interface WebhookDelivererOptions {
  readonly db: Kysely<Database>;
  readonly transport: WebhookTransport;
  readonly sign: NoticeSigner;
  /** The ops log: one line per attempt, with ids and codes only (no personal data, no payload). */
  readonly logger: Logger;
  /** Attempts per notice before it is given up (SCHAKEL_WEBHOOK_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** The delay before the first retry; it doubles per attempt (SCHAKEL_WEBHOOK_BACKOFF_MS). */
  readonly backoffMs: number;
  /** The longest delay between attempts (default one hour). */
  readonly maxBackoffMs?: number;
  /** One attempt's time limit (SCHAKEL_WEBHOOK_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** How often `start()` looks for due notices (SCHAKEL_WEBHOOK_POLL_MS). */
  readonly pollMs: number;
  /** Notices per round (default 20). */
  readonly batch?: number;
  readonly now?: () => Date;
}

/** What one round did. */
export interface DeliveryRound {
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

export interface WebhookDeliverer {
  /** Attempts every notice that is due now, once. */
  runOnce(): Promise<DeliveryRound>;
  /** Runs rounds every `pollMs` until `stop()`. */
  start(): void;
  /** Stops the rounds and waits for the one in flight. */
  stop(): Promise<void>;
}

/** The delay after the n-th failed attempt (n >= 1): backoff, 2 x backoff, 4 x ..., capped. */
export function retryDelayMs(failedAttempts: number, backoffMs: number, maxBackoffMs = 3_600_000): number {
  return Math.min(backoffMs * 2 ** Math.max(0, failedAttempts - 1), maxBackoffMs);
}

function failureCode(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  return e.cause?.code ?? e.code ?? e.name ?? 'ERROR';
}

/**
 * The delivery worker. Rows are claimed by moving their next attempt past the attempt's time limit
 * (a conditional update), so several broker processes on one database never send a notice twice at
 * once; pending rows live in the database, so a restart loses none.
 *
 * @example const deliverer = createWebhookDeliverer({ db, transport: https.send, sign, logger, maxAttempts: 8, backoffMs: 5000, timeoutMs: 10_000, pollMs: 1000 }); deliverer.start();
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  async function attempt(row: {
    id: string;
    partner_id: string;
    review_id: string;
    payload: Record<string, unknown>;
    attempts: number;
    next_attempt_at: Date;
  }): Promise<'delivered' | 'retrying' | 'failed' | 'skipped'> {
    const start = now();
    const claimed = await options.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(start.getTime() + options.timeoutMs * 2) })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return 'skipped';
    const attemptNo = row.attempts + 1;
    const fields = {
      deliveryId: row.id,
      reviewId: row.review_id,
      partner: row.partner_id,
      attempt: attemptNo,
    };
    const hook = await options.db
      .selectFrom('review_webhooks')
      .select('url')
      .where('partner_id', '=', row.partner_id)
      .executeTakeFirst();
    let error: string | undefined;
    if (hook === undefined) {
      error = 'UNREGISTERED';
    } else {
      try {
        const jws = await options.sign({
          iss: 'schakel',
          aud: row.partner_id,
          jti: row.id,
          iat: Math.floor(start.getTime() / 1000),
          ...row.payload,
        });
        const status = await options.transport(
          hook.url,
          jws,
          {
            'content-type': 'application/jose',
            'x-schakel-delivery': row.id,
            'x-schakel-attempt': String(attemptNo),
          },
          AbortSignal.timeout(options.timeoutMs),
        );
        if (status >= 200 && status < 300) {
          await options.db
            .updateTable('webhook_deliveries')
            .set({ status: 'delivered', attempts: attemptNo, last_error: null, finished_at: now() })
            .where('id', '=', row.id)
            .execute();
          log.info({ ...fields, status }, 'review webhook delivered');
          return 'delivered';
        }
        error = `HTTP_${status}`;
      } catch (thrown) {
        error = failureCode(thrown);
      }
    }
    // An unregistered hook will not come back by waiting: give up at once.
    if (attemptNo >= options.maxAttempts || error === 'UNREGISTERED') {
      await options.db
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', attempts: attemptNo, last_error: error, finished_at: now() })
        .where('id', '=', row.id)
        .execute();
      log.error({ ...fields, error }, 'review webhook gave up');
      return 'failed';
    }
    const delay = retryDelayMs(attemptNo, options.backoffMs, options.maxBackoffMs);
    await options.db
      .updateTable('webhook_deliveries')
      .set({ attempts: attemptNo, last_error: error, next_attempt_at: new Date(now().getTime() + delay) })
      .where('id', '=', row.id)
      .execute();
    log.warn({ ...fields, error, retryInMs: delay }, 'review webhook attempt failed');
    return 'retrying';
  }

  async function runOnce(): Promise<DeliveryRound> {
    const due = await options.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'partner_id', 'review_id', 'payload', 'attempts', 'next_attempt_at'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now())
      .orderBy('next_attempt_at')
      .limit(options.batch ?? 20)
      .execute();
    const outcomes = await Promise.all(due.map((row) => attempt(row)));
    return {
      delivered: outcomes.filter((o) => o === 'delivered').length,
      retrying: outcomes.filter((o) => o === 'retrying').length,
      failed: outcomes.filter((o) => o === 'failed').length,
    };
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'review webhook round failed'))
        .finally(schedule);
    }, options.pollMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
