// A token bucket: a sustained rate with a burst allowance, refilled lazily from an injected clock.

export interface TokenBucketOptions {
  /** Tokens added per second (the sustained rate). */
  readonly ratePerSecond: number;
  /** The bucket's size (the burst a quiet client may spend at once). */
  readonly burst: number;
  /** Monotonic clock in ms (injected in tests). */
  readonly now?: () => number;
}

/** Takes one token, or says how long until one is available. */
export interface TokenBucket {
  /** 0 when a token was taken; otherwise the ms until the next token (nothing taken). */
  take(): number;
  /** 0 when a token is available; otherwise the ms until the next one (nothing taken). */
  peek(): number;
}

/**
 * Creates a full bucket.
 *
 * @example const bucket = createTokenBucket({ ratePerSecond: 100, burst: 200 }); if (bucket.take() > 0) refuse();
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const now = options.now ?? (() => performance.now());
  let tokens = options.burst;
  let updated = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(options.burst, tokens + ((t - updated) / 1000) * options.ratePerSecond);
    updated = t;
  };
  const wait = () => (tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / options.ratePerSecond) * 1000));
  return {
    take() {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return wait();
    },
    peek() {
      refill();
      return wait();
    },
  };
}
