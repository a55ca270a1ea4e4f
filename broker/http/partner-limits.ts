// Per-partner limits on the partner port: a request rate (token bucket) and requests in progress at once.
import type { MiddlewareHandler } from 'hono';
import { ConcurrencyLimitedError, RateLimitedError } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { createTokenBucket, type TokenBucket } from './token-bucket.ts';

export interface PartnerLimitsOptions {
  /** Sustained requests per second per partner; 0 switches the rate limit off. */
  readonly ratePerSecond: number;
  /** Requests a quiet partner may send at once above the rate. */
  readonly burst: number;
  /** Requests in progress per partner; 0 switches the limit off. */
  readonly maxConcurrent: number;
  /** Monotonic clock in ms (injected in tests). */
  readonly now?: () => number;
}

/**
 * Refuses a partner's request with 429 problem+json and `Retry-After` when the partner is over its
 * rate (ERR_RATE_LIMITED) or already has `maxConcurrent` requests in progress
 * (ERR_CONCURRENCY_LIMITED), so one busy or misbehaving partner cannot starve the others. Keyed by
 * the verified partner id: mount it after the identity guard. Requests without an identity (the
 * guard refused them already) pass untouched. Buckets exist per registered partner only, so the
 * map is bounded by the registry.
 *
 * @throws (as problem+json) ERR_RATE_LIMITED, ERR_CONCURRENCY_LIMITED.
 * @example app.use(partnerLimits({ ratePerSecond: 100, burst: 200, maxConcurrent: 32 }))
 */
export function partnerLimits(options: PartnerLimitsOptions): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, TokenBucket>();
  const inFlight = new Map<string, number>();

  return async function partnerLimitsMiddleware(c, next) {
    const partner = c.var.identity?.partner.id;
    if (partner === undefined) return next();
    if (options.ratePerSecond > 0) {
      let bucket = buckets.get(partner);
      if (bucket === undefined) {
        bucket = createTokenBucket({
          ratePerSecond: options.ratePerSecond,
          burst: options.burst,
          ...(options.now === undefined ? {} : { now: options.now }),
        });
        buckets.set(partner, bucket);
      }
      const waitMs = bucket.take();
      if (waitMs > 0) {
        throw new RateLimitedError(`Over ${options.ratePerSecond} requests per second; slow down.`, {
          headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
        });
      }
    }
    if (options.maxConcurrent <= 0) return next();
    const running = inFlight.get(partner) ?? 0;
    if (running >= options.maxConcurrent) {
      throw new ConcurrencyLimitedError(
        `At most ${options.maxConcurrent} requests in progress at once; wait for an answer first.`,
        { headers: { 'retry-after': '1' } },
      );
    }
    inFlight.set(partner, running + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(partner) ?? 1) - 1;
      if (left <= 0) inFlight.delete(partner);
      else inFlight.set(partner, left);
    }
  };
}
