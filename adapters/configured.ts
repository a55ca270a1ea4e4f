// Production adapters from a JSON file: per holder partner, the HTTPS endpoint and the categories it answers.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { withCircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.ts';
import type { Adapter } from './contract.ts';
import { createHttpAdapter } from './http.ts';

const fileSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  z
    .object({
      url: z.url({ protocol: /^https$/ }),
      categories: z.array(z.string().min(1)).min(1),
      timeoutMs: z.number().int().min(100).max(60_000).optional(),
    })
    .strict(),
);

/** How each holder's circuit breaker behaves, and who hears about its state changes. */
export interface ConfiguredAdaptersOptions {
  readonly breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  readonly onBreakerChange?: (holderPartnerId: string, state: CircuitState, previous: CircuitState) => void;
}

/**
 * Reads the adapters file and builds an HTTP adapter per holder with the given mTLS fetch, each
 * behind its own circuit breaker (a dead source then fails at once instead of after its timeout).
 *
 * @throws Error naming the file and the invalid entry (a start-up configuration error).
 */
export function loadConfiguredAdapters(
  file: string,
  mtlsFetch: typeof fetch,
  options: ConfiguredAdaptersOptions = {},
): (holderPartnerId: string) => Adapter | undefined {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`adapters file ${file} is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const adapters = new Map(
    Object.entries(parsed.data).map(([id, a]) => [
      id,
      withCircuitBreaker(
        createHttpAdapter({
          url: a.url,
          categories: a.categories,
          fetch: mtlsFetch,
          ...(a.timeoutMs === undefined ? {} : { timeoutMs: a.timeoutMs }),
        }),
        {
          ...options.breaker,
          onStateChange: (state, previous) => options.onBreakerChange?.(id, state, previous),
        },
      ),
    ]),
  );
  return (id) => adapters.get(id);
}
