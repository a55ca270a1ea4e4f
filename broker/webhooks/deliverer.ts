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
  /** Attempts in flight at once over all holders (default 20). */
  readonly concurrency?: number;
  /**
   * Attempts in flight at once for one holder (default 2): a holder whose receiver hangs ties up
   * at most this many, and the others' notices go out meanwhile.
   */
  readonly perPartner?: number;
  readonly now?: () => Date;
}

type Outcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

interface DueRow {
  readonly id: string;
  readonly partner_id: string;
  readonly review_id: string;
  readonly payload: Record<string, unknown>;
  readonly attempts: number;
  readonly next_attempt_at: Date;
}

/** What one round did. */
export interface DeliveryRound {
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

export interface WebhookDeliverer {
  /**
   * Starts an attempt for each notice due now, within the limits (`concurrency`, `perPartner`,
   * counting attempts already in flight), and waits for the attempts it started.
   */
  runOnce(): Promise<DeliveryRound>;
  /**
   * Every `pollMs` until `stop()`, starts attempts for due notices within the limits; a round does
   * not wait for the attempts it started, so a slow receiver delays no other holder's notices.
   */
  start(): void;
  /** Stops the rounds and waits for the attempts in flight (each ends within `timeoutMs`). */
  stop(): Promise<void>;
}

/** The delay after the n-th failed attempt (n >= 1): backoff, 2 x backoff, 4 x ..., capped. */
export function retryDelayMs(failedAttempts: number, backoffMs: number, maxBackoffMs = 3_600_000): number {
  return Math.min(backoffMs * 2 ** Math.max(0, failedAttempts - 1), maxBackoffMs);
}

/** Rejects with the signal's reason once it aborts: a transport that ignores its signal still ends on time. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function failureCode(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  return e.cause?.code ?? e.code ?? e.name ?? 'ERROR';
}

/**
 * The delivery worker. Rows are claimed by moving their next attempt past the attempt's time limit
 * (a conditional update), so several broker processes on one database never send a notice twice at
 * once; pending rows live in the database, so a restart loses none. At most `concurrency` attempts
 * run at once in a process, at most `perPartner` of them for one holder; rounds start attempts
 * without waiting for them, so a hanging receiver costs only its own holder's slots.
 *
 * @example const deliverer = createWebhookDeliverer({ db, transport: https.send, sign, logger, maxAttempts: 8, backoffMs: 5000, timeoutMs: 10_000, pollMs: 1000 }); deliverer.start();
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  const concurrency = options.concurrency ?? 20;
  const perPartner = options.perPartner ?? 2;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  // Attempts in flight in this process: by delivery id, and their count per holder. Both hold at
  // most `concurrency` entries.
  const inFlight = new Map<string, Promise<Outcome>>();
  const busy = new Map<string, number>();

  async function attempt(row: DueRow): Promise<Outcome> {
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
        const signal = AbortSignal.timeout(options.timeoutMs);
        const status = await Promise.race([
          options.transport(
            hook.url,
            jws,
            {
              'content-type': 'application/jose',
              'x-schakel-delivery': row.id,
              'x-schakel-attempt': String(attemptNo),
            },
            signal,
          ),
          aborted(signal),
        ]);
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

  /** Due notices, at most `perPartner` per holder (oldest first), leaving out holders with no free slot. */
  function selectDue(free: number): Promise<DueRow[]> {
    const full = [...busy].filter(([, n]) => n >= perPartner).map(([partner]) => partner);
    let query = options.db
      .selectFrom('partners as p')
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select(['id', 'partner_id', 'review_id', 'payload', 'attempts', 'next_attempt_at'])
            .whereRef('webhook_deliveries.partner_id', '=', 'p.id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now())
            .orderBy('next_attempt_at')
            .limit(perPartner)
            .as('d'),
        (join) => join.onTrue(),
      )
      .select(['d.id', 'd.partner_id', 'd.review_id', 'd.payload', 'd.attempts', 'd.next_attempt_at']);
    if (full.length > 0) query = query.where('p.id', 'not in', full);
    // Every holder listed has a free slot, so this many rows always hold `free` startable ones.
    return query
      .orderBy('d.next_attempt_at')
      .limit(free * perPartner)
      .execute();
  }

  function track(row: DueRow): Promise<Outcome> {
    busy.set(row.partner_id, (busy.get(row.partner_id) ?? 0) + 1);
    const run = attempt(row)
      .catch((error: unknown): Outcome => {
        log.error(
          { err: error, deliveryId: row.id, reviewId: row.review_id, partner: row.partner_id },
          'review webhook attempt could not be recorded',
        );
        return 'skipped';
      })
      .finally(() => {
        inFlight.delete(row.id);
        const n = (busy.get(row.partner_id) ?? 1) - 1;
        if (n === 0) busy.delete(row.partner_id);
        else busy.set(row.partner_id, n);
      });
    inFlight.set(row.id, run);
    return run;
  }

  /** Starts attempts for due notices within the limits; returns them without waiting. */
  async function launch(): Promise<Promise<Outcome>[]> {
    if (inFlight.size >= concurrency) return [];
    const due = await selectDue(concurrency - inFlight.size);
    const started: Promise<Outcome>[] = [];
    for (const row of due) {
      if (inFlight.size >= concurrency) break;
      if (inFlight.has(row.id) || (busy.get(row.partner_id) ?? 0) >= perPartner) continue;
      started.push(track(row));
    }
    return started;
  }

  async function runOnce(): Promise<DeliveryRound> {
    const outcomes = await Promise.all(await launch());
    return {
      delivered: outcomes.filter((o) => o === 'delivered').length,
      retrying: outcomes.filter((o) => o === 'retrying').length,
      failed: outcomes.filter((o) => o === 'failed').length,
    };
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      // NOTE: the round waits for its query only, never for the attempts it starts.
      running = launch()
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
      await Promise.all(inFlight.values());
    },
  };
}
