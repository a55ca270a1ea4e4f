// Partner adapters over native data: ask the transport for a native document, check its shape, map it to a canonical record.
import type { z } from 'zod';
import { type Adapter, type AdapterAnswer, AdapterProtocolError, parseAnswer } from './contract.ts';

/** What a partner adapter asks its transport: one kind of native document about one person. */
export interface NativeQuery {
  readonly requestId: string;
  readonly bsn: string;
  /** The partner's own name for the document, e.g. `bvh-registraties` (see each partner's README). */
  readonly document: string;
}

/**
 * Delivers a partner's native documents (over HTTPS, from the reference store, ...). Resolves to
 * the parsed JSON document, or `undefined` when the partner holds no such document about the
 * person. Rejects with an AdapterError on transport failures.
 */
export interface NativeTransport {
  get(query: NativeQuery, signal: AbortSignal): Promise<unknown>;
}

/** How one canonical category comes out of one native document. */
export interface CategoryMapping<T> {
  readonly document: string;
  /** The native document's shape; a document that does not fit is SOURCE_INVALID_ANSWER. */
  readonly schema: z.ZodType<T>;
  /** The canonical record, or `undefined` when the document says nothing about this category. */
  map(native: T, now: Date): Record<string, unknown> | undefined;
}

/** A partner's mappings per category, built with `mapping()` so each keeps its own native type. */
export type PartnerMappings = Readonly<Record<string, CategoryMapping<never>>>;

/** Ties a schema to its map function with the type inferred. @example mapping('x', schema, (n) => ({ a: n.a })) */
export function mapping<T>(
  document: string,
  schema: z.ZodType<T>,
  map: (native: T, now: Date) => Record<string, unknown> | undefined,
): CategoryMapping<never> {
  return { document, schema, map } as unknown as CategoryMapping<never>;
}

/** Options of a partner adapter: its transport, the categories it should answer, a clock. */
export interface PartnerAdapterOptions {
  readonly transport: NativeTransport;
  /** A subset of the partner's categories (default: every category it maps). */
  readonly categories?: readonly string[];
  /** The clock for "still valid" questions (default: the system clock). */
  readonly now?: () => Date;
}

/**
 * Builds an adapter from a partner's mappings. Only the mapping of the asked category runs; the
 * result passes the same boundary check as an HTTP source's answer.
 *
 * @throws Error at construction for a category the partner does not map (a configuration error).
 *   The adapter's fetch rejects with AdapterProtocolError (SOURCE_INVALID_ANSWER) for a native
 *   document outside its schema, and passes the transport's AdapterErrors through.
 * @example createMappedAdapter(POLITIE_MAPPINGS, { transport })
 */
export function createMappedAdapter(mappings: PartnerMappings, options: PartnerAdapterOptions): Adapter {
  const categories = options.categories ?? Object.keys(mappings);
  for (const category of categories) {
    if (!Object.hasOwn(mappings, category)) throw new Error(`this adapter does not map ${category}`);
  }
  const now = options.now ?? (() => new Date());
  return {
    categories,
    async fetch(query, signal): Promise<AdapterAnswer> {
      const map = categories.includes(query.category) ? mappings[query.category] : undefined;
      if (map === undefined) throw new AdapterProtocolError('category not answered by this adapter');
      const native = await options.transport.get(
        { requestId: query.requestId, bsn: query.bsn, document: map.document },
        signal,
      );
      if (native === undefined || native === null) return { status: 'not_found' };
      const parsed = (map.schema as z.ZodType<unknown>).safeParse(native);
      if (!parsed.success) {
        // The issue path names native fields only, never values: safe to keep in the message.
        const at = parsed.error.issues[0]?.path.join('.') ?? '';
        throw new AdapterProtocolError(`native ${map.document} document is invalid at ${at}`);
      }
      const record = (map as CategoryMapping<unknown>).map(parsed.data, now());
      if (record === undefined) return { status: 'not_found' };
      return parseAnswer({ status: 'found', record });
    },
  };
}
