// The holder's say: which holders (partner kinds with a reviewing professional: GGZ, AIVD) a change touches.
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** Partner kinds whose professionals review releases of their own categories (`catalogue.reviewers`). */
export function reviewingKinds(catalogue: Readonly<Json>): string[] {
  return Object.keys(record(catalogue.reviewers));
}

/** Every string inside a value (to find the legal-basis codes a holder's rules refer to). */
function strings(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, into);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) strings(v, into);
  return into;
}

/** The part of the catalogue that states the rules for one holder kind's categories. */
function sliceFor(catalogue: Readonly<Json>, kind: string): Json {
  const categories = Object.fromEntries(
    Object.entries(record(catalogue.categories)).filter(([, c]) => record(c).holder_kind === kind),
  );
  const codes = new Set(Object.keys(categories));
  const matrix = Object.fromEntries(
    Object.entries(record(catalogue.matrix)).map(([requester, row]) => [
      requester,
      Object.fromEntries(
        Object.entries(record(row)).map(([purpose, cells]) => [
          purpose,
          (Array.isArray(cells) ? (cells as string[]) : []).filter((c) => codes.has(c)).sort(),
        ]),
      ),
    ]),
  );
  const own = (key: string) =>
    Object.fromEntries(Object.entries(record(catalogue[key])).filter(([code]) => codes.has(code)));
  const slice: Json = {
    categories,
    matrix,
    reviewers: record(catalogue.reviewers)[kind] ?? null,
    legal_basis_by_holder: record(catalogue.legal_basis_by_holder)[kind] ?? null,
    intelligence: own('intelligence'),
    protective_security: own('protective_security'),
    // Medical grounds are how the GGZ professional releases; they belong to the holders of medical data.
    medical_grounds: Object.values(categories).some((c) => record(c).sensitivity === 'medisch')
      ? (catalogue.medical_grounds ?? null)
      : null,
  };
  const referenced = strings(slice);
  slice.legal_bases = Object.fromEntries(
    Object.entries(record(catalogue.legal_bases)).filter(([code]) => referenced.has(code)),
  );
  return slice;
}

/** The top-level catalogue keys `sliceFor` accounts for; a change elsewhere touches every holder. */
const SLICED = new Set([
  'version',
  'categories',
  'matrix',
  'reviewers',
  'legal_basis_by_holder',
  'intelligence',
  'protective_security',
  'medical_grounds',
  'legal_bases',
]);

/**
 * The reviewing holder kinds a change touches, so their privacy officers must approve it too.
 * Conservative on purpose (deny by default): any change to the Rego, and any change to a part of the
 * catalogue that is not one holder's own (phases, purposes, break-glass, reasons, ...), touches every
 * reviewing holder.
 */
export function touchedHolderKinds(
  before: { readonly catalogue: Readonly<Json>; readonly rego: Readonly<Record<string, string>> },
  after: { readonly catalogue: Readonly<Json>; readonly rego: Readonly<Record<string, string>> },
): string[] {
  const kinds = [
    ...new Set([...reviewingKinds(before.catalogue), ...reviewingKinds(after.catalogue)]),
  ].sort();
  if (!isDeepStrictEqual(before.rego, after.rego)) return kinds;
  const keys = new Set([...Object.keys(before.catalogue), ...Object.keys(after.catalogue)]);
  const elsewhere = [...keys].some(
    (k) => !SLICED.has(k) && !isDeepStrictEqual(before.catalogue[k], after.catalogue[k]),
  );
  if (elsewhere) return kinds;
  return kinds.filter(
    (kind) => !isDeepStrictEqual(sliceFor(before.catalogue, kind), sliceFor(after.catalogue, kind)),
  );
}

/** A short description of what changed, by top-level catalogue key and Rego file, for lists and the log. */
export function describeChanges(
  before: { readonly catalogue: Readonly<Json>; readonly rego: Readonly<Record<string, string>> },
  after: { readonly catalogue: Readonly<Json>; readonly rego: Readonly<Record<string, string>> },
): { catalogue: string[]; rego: string[] } {
  const keys = [...new Set([...Object.keys(before.catalogue), ...Object.keys(after.catalogue)])].sort();
  const files = [...new Set([...Object.keys(before.rego), ...Object.keys(after.rego)])].sort();
  return {
    catalogue: keys.filter((k) => !isDeepStrictEqual(before.catalogue[k], after.catalogue[k])),
    rego: files.filter((f) => before.rego[f] !== after.rego[f]),
  };
}
