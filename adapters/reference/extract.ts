// A partner's extract for the reference store: validated, and mapped from the partner's native format when given so.
import { z } from 'zod';
import { createAivdAdapter } from '../aivd/aivd-adapter.ts';
import { type Adapter, AdapterError, parseAnswer } from '../contract.ts';
import { createDkdbAdapter, createKmarAdapter } from '../kmar-dkdb/kmar-dkdb-adapter.ts';
import type { PartnerAdapterOptions } from '../native.ts';
import { createOmAdapter } from '../om/om-adapter.ts';
import { createPolitieAdapter } from '../politie/politie-adapter.ts';

const BSN = z.string().regex(/^\d{9}$/);
const MAX_ENTRIES = 1_000_000;

/**
 * The extract file. `categories` says what the extract is a complete snapshot of: importing it
 * replaces the holder's earlier records in exactly those categories.
 */
export const extractSchema = z.discriminatedUnion('format', [
  z
    .object({
      format: z.literal('canonical'),
      categories: z.array(z.string().min(1)).min(1),
      records: z
        .array(
          z
            .object({ bsn: BSN, category: z.string().min(1), record: z.record(z.string(), z.unknown()) })
            .strict(),
        )
        .max(MAX_ENTRIES),
    })
    .strict(),
  z
    .object({
      format: z.literal('native'),
      categories: z.array(z.string().min(1)).min(1),
      documents: z
        .array(z.object({ bsn: BSN, document: z.string().min(1).max(64), content: z.unknown() }).strict())
        .max(MAX_ENTRIES),
    })
    .strict(),
]);

/** One canonical record ready to store (the caller pseudonymises the BSN). */
export interface ExtractEntry {
  readonly bsn: string;
  readonly category: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** What the extract is checked against: the holder's kind and the catalogue's categories. */
export interface ExtractContext {
  readonly holderKind: string;
  readonly categories: Readonly<
    Record<string, { readonly holder_kind: string; readonly fields: readonly string[] }>
  >;
  readonly isValidBsn: (bsn: string) => boolean;
  readonly now?: () => Date;
}

/** Raised for an extract that cannot be imported; `field` names where (never a value from the file). */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** Partner adapters that read native extracts, by partner kind. */
const NATIVE: Readonly<Record<string, (options: PartnerAdapterOptions) => Adapter>> = {
  politie: createPolitieAdapter,
  om: createOmAdapter,
  kmar: createKmarAdapter,
  dkdb: createDkdbAdapter,
  aivd: createAivdAdapter,
};

/**
 * Validates an extract and turns it into canonical entries: every BSN passes the elfproef, every
 * category is the holder's, every record field is one the catalogue defines for its category, and
 * no (person, category) appears twice. A native extract goes through the holder's partner adapter.
 *
 * @throws ExtractError naming the first offending field.
 * @example const { categories, entries } = await readExtract(JSON.parse(text), { holderKind: 'om', categories, isValidBsn })
 */
export async function readExtract(
  value: unknown,
  context: ExtractContext,
): Promise<{ categories: readonly string[]; entries: readonly ExtractEntry[] }> {
  const parsed = extractSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExtractError(issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
  }
  const extract = parsed.data;
  extract.categories.forEach((category, i) => {
    if (context.categories[category]?.holder_kind !== context.holderKind) {
      throw new ExtractError(`categories.${i}`, `not a category a ${context.holderKind} holder holds`);
    }
  });
  const entries =
    extract.format === 'canonical'
      ? extract.records.map((r, i) => {
          check(r.bsn, `records.${i}.bsn`);
          return { ...r, at: `records.${i}` };
        })
      : await mapNative(extract.categories, extract.documents, context);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!extract.categories.includes(entry.category)) {
      throw new ExtractError(`${entry.at}.category`, 'not among the extract categories');
    }
    const key = `${entry.bsn}/${entry.category}`;
    if (seen.has(key)) throw new ExtractError(entry.at, 'a second record for the same person and category');
    seen.add(key);
    try {
      parseAnswer({ status: 'found', record: entry.record });
    } catch (error) {
      throw new ExtractError(`${entry.at}.record`, (error as Error).message);
    }
    const allowed = context.categories[entry.category]?.fields ?? [];
    for (const field of fieldPaths(entry.record)) {
      // An empty list fits a catalogue list of either kind: `maatregelen` or `veroordelingen[].feit`.
      const empty = field.endsWith('[]') ? field.slice(0, -2) : undefined;
      const fits =
        allowed.includes(field) ||
        (empty !== undefined && allowed.some((a) => a === empty || a.startsWith(field)));
      if (!fits) throw new ExtractError(`${entry.at}.record`, `field ${field} is not in the catalogue`);
    }
  }
  return {
    categories: extract.categories,
    entries: entries.map(({ bsn, category, record }) => ({ bsn, category, record })),
  };

  function check(bsn: string, at: string): void {
    if (!context.isValidBsn(bsn)) throw new ExtractError(at, 'not a valid BSN (elfproef)');
  }

  async function mapNative(
    categories: readonly string[],
    documents: readonly { bsn: string; document: string; content: unknown }[],
    ctx: ExtractContext,
  ): Promise<(ExtractEntry & { at: string })[]> {
    const create = NATIVE[ctx.holderKind];
    if (create === undefined)
      throw new ExtractError('format', `no native format for ${ctx.holderKind}: use canonical`);
    const out: (ExtractEntry & { at: string })[] = [];
    for (const [i, doc] of documents.entries()) {
      check(doc.bsn, `documents.${i}.bsn`);
      const adapter = create({
        transport: { get: (q) => Promise.resolve(q.document === doc.document ? doc.content : undefined) },
        ...(ctx.now === undefined ? {} : { now: ctx.now }),
      });
      for (const category of categories) {
        try {
          const answer = await adapter.fetch(
            { requestId: 'extract', category, bsn: doc.bsn },
            new AbortController().signal,
          );
          if (answer.status === 'found')
            out.push({ bsn: doc.bsn, category, record: answer.record, at: `documents.${i}` });
        } catch (error) {
          if (error instanceof AdapterError) throw new ExtractError(`documents.${i}.content`, error.message);
          throw error;
        }
      }
    }
    return out;
  }
}

/** Every field path of a record, arrays written as `name[].field` like the catalogue (an empty one as `name[]`). */
export function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${prefix}[]`];
    if (value.every((v) => typeof v !== 'object' || v === null)) return [prefix];
    return value.flatMap((v) => fieldPaths(v, `${prefix}[]`));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => fieldPaths(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [prefix];
}
