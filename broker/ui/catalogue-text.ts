// The catalogue's words for people: titles of categories and purposes, legal bases with citations, review grounds.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CATALOGUE_FILE } from '../catalogue.ts';
import type { Lang } from './i18n/language.ts';

const titled = z.object({ title_nl: z.string(), title_en: z.string() });

const catalogueTextSchema = z.object({
  categories: z.record(
    z.string(),
    titled.extend({
      holder_kind: z.string(),
      sensitivity: z.string(),
      fields: z.array(z.string()),
      minimal_fields: z.array(z.string()),
    }),
  ),
  purposes: z.record(z.string(), titled),
  legal_bases: z.record(z.string(), titled.extend({ citation: z.string(), use: z.string().optional() })),
  reviewers: z.record(z.string(), z.object({ role: z.string(), grounds: z.array(z.string()) })),
  medical_grounds: z.record(z.string(), z.object({ legal_basis: z.string() })),
  /** requester kind -> purpose -> categories. */
  matrix: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
});

/** The catalogue as the pages read it. */
export type CatalogueText = z.infer<typeof catalogueTextSchema>;

/** Reads the catalogue's titles and citations. @throws Error naming the file when it does not fit. */
export function loadCatalogueText(file: string = DEFAULT_CATALOGUE_FILE): CatalogueText {
  return catalogueTextSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The pages' view of a catalogue held in memory (a revision's). @throws ZodError when it does not fit. */
export function catalogueText(catalogue: unknown): CatalogueText {
  return catalogueTextSchema.parse(catalogue);
}

/**
 * The catalogue's own entry under `code`, or undefined. Codes come from requests and forms: a plain
 * `entries[code]` answers Object.prototype's `constructor` or `toString` for those codes.
 */
export function entryOf<T>(entries: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(entries, code) ? entries[code] : undefined;
}

/** The title of an entry in the person's language, or the code itself when the catalogue lacks it. */
export function titleOf(
  entries: Readonly<Record<string, { title_nl: string; title_en: string }>>,
  code: string,
  lang: Lang,
): string {
  const entry = entryOf(entries, code);
  if (entry === undefined) return code;
  return lang === 'en' ? entry.title_en : entry.title_nl;
}

/** The legal basis a review ground rests on (the AIVD's ambtsbericht: Wiv 2017 art. 66). */
export function legalBasisOfGround(catalogue: CatalogueText, ground: string): string | undefined {
  if (ground === 'ambtsbericht') return 'wiv_66';
  return entryOf(catalogue.medical_grounds, ground)?.legal_basis;
}
