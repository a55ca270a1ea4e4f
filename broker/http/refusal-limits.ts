// Per-address limit on refused requests: a client that keeps failing identification is answered 429 before the guard runs.
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimitedError } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { createTokenBucket, type TokenBucket } from './token-bucket.ts';

export interface RefusalLimitsOptions {
  /** Refusals per second an address may earn over time; 0 switches the limit off. */
  readonly perSecond: number;
  /** Refusals an address may earn at once before it is held off. */
  readonly burst: number;
  /** The client's address (injected; tests need no socket). */
  readonly getAddress: (c: Context<AppEnv>) => string | undefined;
  /** Addresses remembered at most (the oldest is forgotten first). Default 10000. */
  readonly maxAddresses?: number;
  /** Monotonic clock in ms (injected in tests). */
  readonly now?: () => number;
}

/** The remote address of a request on @hono/node-server, or undefined (app.request() in tests). */
export function nodeRemoteAddress(c: Context<AppEnv>): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/**
 * Counts the requests each address gets refused with 401 (no or bad certificate or token) and,
 * once it is over `burst` with a refill of `perSecond`, answers its requests 429 ERR_RATE_LIMITED
 * with Retry-After before the identity guard runs. Every refusal the guard answers is written to
 * the disclosure log; without this, anyone who can open a TLS connection could fill the log's
 * queue with refusals and push out the partners' disclosures. Mount it before the guard.
 *
 * @throws (as problem+json) ERR_RATE_LIMITED.
 * @example guards: [refusalLimits({ perSecond: 5, burst: 50, getAddress: nodeRemoteAddress }), identityGuard(...)]
 */
export function refusalLimits(options: RefusalLimitsOptions): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, TokenBucket>();
  const maxAddresses = options.maxAddresses ?? 10_000;
  const bucketOf = (address: string) => {
    let bucket = buckets.get(address);
    if (bucket === undefined) {
      if (buckets.size >= maxAddresses) buckets.delete(buckets.keys().next().value!);
      bucket = createTokenBucket({
        ratePerSecond: options.perSecond,
        burst: options.burst,
        ...(options.now === undefined ? {} : { now: options.now }),
      });
      buckets.set(address, bucket);
    }
    return bucket;
  };

  return async function refusalLimitsMiddleware(c, next) {
    const address = options.perSecond > 0 ? options.getAddress(c) : undefined;
    if (address === undefined) return next();
    const bucket = buckets.get(address);
    const waitMs = bucket?.peek() ?? 0;
    if (waitMs > 0) {
      throw new RateLimitedError('Too many refused requests from this address; wait before trying again.', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      });
    }
    await next();
    if (c.res.status === 401) bucketOf(address).take();
  };
}
