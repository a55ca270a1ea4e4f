// Catalogue edits privacy officers make through forms: matrix cells, category fields, legal bases.
import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../errors.ts';

const code = z.string().regex(/^[a-z][a-z0-9_.]*$/, 'a catalogue code (lower case, digits, _ and .)');
const fieldPath = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\[\]\.[A-Za-z][A-Za-z0-9]*)*$/, 'a field path');
const text = z.string().trim().min(1).max(2000);

/** Allow or disallow one (requester kind × purpose × category) cell of the matrix. */
const matrixEdit = z
  .object({
    op: z.literal('matrix'),
    requesterKind: code,
    purpose: code,
    category: code,
    allowed: z.boolean(),
  })
  .strict();

/** Change a category's fields, minimal fields or titles. */
const categoryEdit = z
  .object({
    op: z.literal('category'),
    category: code,
    fields: z.array(fieldPath).min(1).max(100).optional(),
    minimalFields: z.array(fieldPath).max(100).optional(),
    titleNl: text.optional(),
    titleEn: text.optional(),
  })
  .strict();

/** Change a legal basis's titles, citation or note on its use. */
const legalBasisEdit = z
  .object({
    op: z.literal('legal_basis'),
    code,
    titleNl: text.optional(),
    titleEn: text.optional(),
    citation: text.optional(),
    use: text.optional(),
  })
  .strict();

/** One catalogue edit, as the API and the pages send it. */
export const catalogueEditSchema = z.discriminatedUnion('op', [matrixEdit, categoryEdit, legalBasisEdit]);
export type CatalogueEdit = z.infer<typeof catalogueEditSchema>;

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** A catalogue entry by its own key only: `constructor` or `toString` are no code in any table. */
function own(table: Json, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Applies edits to a copy of the catalogue; the input is not changed.
 *
 * @throws ValidationError (ERR_VALIDATION) naming `edits[i].<field>` for an unknown kind, purpose,
 *   category or legal basis, or minimal fields that are not among the category's fields.
 */
export function applyCatalogueEdits(catalogue: Readonly<Json>, edits: readonly CatalogueEdit[]): Json {
  const next = structuredClone(catalogue) as Json;
  const problems: FieldProblem[] = [];
  const categories = record(next.categories);
  const purposes = record(next.purposes);
  const matrix = record(next.matrix);
  const legalBases = record(next.legal_bases);
  edits.forEach((edit, i) => {
    const at = (field: string, message: string) => problems.push({ field: `edits[${i}].${field}`, message });
    if (edit.op === 'matrix') {
      const row = own(matrix, edit.requesterKind);
      if (row === undefined) return at('requesterKind', `not a requester kind of the matrix`);
      if (own(purposes, edit.purpose) === undefined) return at('purpose', 'not a purpose in the catalogue');
      if (own(categories, edit.category) === undefined)
        return at('category', 'not a category in the catalogue');
      const cells = record(row);
      const current = Array.isArray(own(cells, edit.purpose)) ? (cells[edit.purpose] as string[]) : [];
      const without = current.filter((c) => c !== edit.category);
      cells[edit.purpose] = edit.allowed ? [...without, edit.category].sort() : without;
      return undefined;
    }
    if (edit.op === 'category') {
      const category = own(categories, edit.category);
      if (category === undefined) return at('category', 'not a category in the catalogue');
      const c = record(category);
      if (edit.fields !== undefined) c.fields = [...new Set(edit.fields)];
      if (edit.minimalFields !== undefined) c.minimal_fields = [...new Set(edit.minimalFields)];
      if (edit.titleNl !== undefined) c.title_nl = edit.titleNl;
      if (edit.titleEn !== undefined) c.title_en = edit.titleEn;
      const fields = Array.isArray(c.fields) ? (c.fields as string[]) : [];
      const minimal = Array.isArray(c.minimal_fields) ? (c.minimal_fields as string[]) : [];
      const stray = minimal.filter((f) => !fields.includes(f));
      if (stray.length > 0) at('minimalFields', `not among the category's fields: ${stray.join(', ')}`);
      return undefined;
    }
    const basis = own(legalBases, edit.code);
    if (basis === undefined) return at('code', 'not a legal basis in the catalogue');
    const b = record(basis);
    if (edit.titleNl !== undefined) b.title_nl = edit.titleNl;
    if (edit.titleEn !== undefined) b.title_en = edit.titleEn;
    if (edit.citation !== undefined) {
      b.citation = edit.citation;
      // A new citation has not been checked against the statute by whoever checked the old one.
      b.checked_against_statute = false;
    }
    if (edit.use !== undefined) b.use = edit.use;
    return undefined;
  });
  if (problems.length > 0)
    throw new ValidationError('The catalogue edits do not apply.', { errors: problems });
  return next;
}
