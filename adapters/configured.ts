// Production adapters from a JSON file: per holder partner, its transport (http, fhir, reference), endpoint and categories.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createAivdAdapter } from './aivd/aivd-adapter.ts';
import { withCircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.ts';
import type { Adapter } from './contract.ts';
import { createFhirClient } from './fhir/fhir-client.ts';
import { createGgzFhirAdapter, GGZ_FHIR_CATEGORIES } from './ggz/ggz-fhir-adapter.ts';
import { createHttpAdapter } from './http.ts';
import { createDkdbAdapter, createKmarAdapter } from './kmar-dkdb/kmar-dkdb-adapter.ts';
import { createNativeHttpTransport } from './native-http.ts';
import type { PartnerAdapterOptions } from './native.ts';
import { createOmAdapter } from './om/om-adapter.ts';
import { createPolitieAdapter } from './politie/politie-adapter.ts';

/** Partner adapters that map a native format delivered over HTTPS (`"format"` in the file). */
const NATIVE_FORMATS: Readonly<Record<string, (options: PartnerAdapterOptions) => Adapter>> = {
  politie: createPolitieAdapter,
  om: createOmAdapter,
  kmar: createKmarAdapter,
  dkdb: createDkdbAdapter,
  aivd: createAivdAdapter,
};

const categories = z.array(z.string().min(1)).min(1);
const timing = {
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
};
const https = z.url({ protocol: /^https$/ });

const entrySchema = z.union([
  z
    .object({
      // Absent in files written before transports existed: those are HTTP sources of the canonical API.
      transport: z.literal('http').optional(),
      url: https,
      categories,
      format: z.enum(['canonical', 'politie', 'om', 'kmar', 'dkdb', 'aivd']).optional(),
      ...timing,
    })
    .strict(),
  z
    .object({
      transport: z.literal('fhir'),
      url: https,
      categories: z.array(z.enum(GGZ_FHIR_CATEGORIES)).min(1),
      ...timing,
    })
    .strict(),
  z.object({ transport: z.literal('reference'), categories }).strict(),
]);

const fileSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), entrySchema);

/** An entry of the adapters file, after validation. */
export type AdapterEntry = z.infer<typeof entrySchema>;

/** How each holder's circuit breaker behaves, who hears about its state changes, and the reference store. */
export interface ConfiguredAdaptersOptions {
  readonly breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  readonly onBreakerChange?: (holderPartnerId: string, state: CircuitState, previous: CircuitState) => void;
  /** Builds a holder's adapter over records kept in the broker's database (`"transport": "reference"`). */
  readonly reference?: (holderPartnerId: string, categories: readonly string[]) => Adapter;
}

/**
 * Reads the adapters file and builds each holder's adapter with the given mTLS fetch, each behind
 * its own circuit breaker (a dead source then fails at once instead of after its timeout). The
 * reference store is local and has no breaker.
 *
 * @throws Error naming the file and the invalid entry (a start-up configuration error).
 * @example loadConfiguredAdapters('adapters.json', mtlsFetch, { reference: (id, c) => referenceAdapter(id, c) })
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
  const adapters = new Map<string, Adapter>();
  for (const [id, entry] of Object.entries(parsed.data)) {
    try {
      const adapter = build(id, entry, mtlsFetch, options);
      adapters.set(
        id,
        entry.transport === 'reference'
          ? adapter
          : withCircuitBreaker(adapter, {
              ...options.breaker,
              onStateChange: (state, previous) => options.onBreakerChange?.(id, state, previous),
            }),
      );
    } catch (error) {
      throw new Error(`adapters file ${file} is invalid at ${id}: ${(error as Error).message}`);
    }
  }
  return (id) => adapters.get(id);
}

function build(
  id: string,
  entry: AdapterEntry,
  mtlsFetch: typeof fetch,
  options: ConfiguredAdaptersOptions,
): Adapter {
  if (entry.transport === 'reference') {
    if (options.reference === undefined) throw new Error('no reference store is available');
    return options.reference(id, entry.categories);
  }
  const exchange = {
    fetch: mtlsFetch,
    ...(entry.timeoutMs === undefined ? {} : { timeoutMs: entry.timeoutMs }),
    ...(entry.retries === undefined ? {} : { retries: entry.retries }),
  };
  if (entry.transport === 'fhir') {
    return createGgzFhirAdapter({
      client: createFhirClient({ ...exchange, baseUrl: entry.url }),
      categories: entry.categories,
      ...(entry.timeoutMs === undefined ? {} : { timeoutMs: entry.timeoutMs }),
    });
  }
  const native = entry.format === undefined ? undefined : NATIVE_FORMATS[entry.format];
  if (native !== undefined) {
    return native({
      transport: createNativeHttpTransport({ ...exchange, url: entry.url }),
      categories: entry.categories,
    });
  }
  return createHttpAdapter({ ...exchange, url: entry.url, categories: entry.categories });
}
