// A circuit breaker around one holder's adapter: after repeated failures, fail at once instead of waiting on a dead source.
import type { Adapter, AdapterAnswer } from './contract.ts';

/** closed: calls pass; open: calls fail at once; half_open: one trial call decides. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * Raised instead of calling the source while the breaker is open (or while its one half-open
 * trial is running). The broker answers the pair with outcome `error` and reason
 * `SOURCE_CIRCUIT_OPEN`; nothing is fetched, so nothing can be disclosed.
 */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  readonly code = 'ERR_SOURCE_CIRCUIT_OPEN';
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  readonly failureThreshold?: number;
  /** How long the breaker stays open before one trial call is let through (default 30 s). */
  readonly coolDownMs?: number;
  /** Monotonic clock in ms (injected in tests). */
  readonly now?: () => number;
  /** Called on every state change (for logs and metrics). */
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/** An adapter behind a breaker, with its state readable (for readiness and tests). */
export interface BreakerAdapter extends Adapter {
  readonly state: CircuitState;
}

/**
 * Wraps an adapter. A rejected fetch (transport error, timeout, malformed answer) counts as a
 * failure; `found` and `not_found` count as success. After `failureThreshold` consecutive failures
 * the breaker opens: calls reject with CircuitOpenError without touching the source. After
 * `coolDownMs` the next call is a trial: success closes the breaker, failure opens it again.
 *
 * @example const ggz = withCircuitBreaker(createHttpAdapter({ url, categories, fetch }), { failureThreshold: 5 });
 */
export function withCircuitBreaker(adapter: Adapter, options: CircuitBreakerOptions = {}): BreakerAdapter {
  const threshold = options.failureThreshold ?? 5;
  const coolDownMs = options.coolDownMs ?? 30_000;
  const now = options.now ?? (() => performance.now());
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;

  const move = (next: CircuitState) => {
    if (next === state) return;
    const previous = state;
    state = next;
    options.onStateChange?.(next, previous);
  };

  return {
    categories: adapter.categories,
    get state() {
      return state;
    },
    async fetch(query, signal): Promise<AdapterAnswer> {
      let trial = false;
      if (state === 'open' && now() - openedAt >= coolDownMs) {
        move('half_open');
        trial = true;
      } else if (state !== 'closed') {
        // Open, or half-open with its one trial already running.
        throw new CircuitOpenError(
          "The holder's source failed repeatedly; the broker is not calling it now.",
        );
      }
      try {
        const answer = await adapter.fetch(query, signal);
        failures = 0;
        move('closed');
        return answer;
      } catch (error) {
        failures += 1;
        if (trial || failures >= threshold) {
          openedAt = now();
          move('open');
        }
        throw error;
      }
    },
  };
}
