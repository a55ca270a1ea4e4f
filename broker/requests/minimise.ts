// Minimisation (rule 7): keep only the permitted field paths of an adapter's record, and name what was withheld.

/** The result of minimising one record. */
export interface Minimised {
  readonly data: Record<string, unknown>;
  /** Field paths present in the record but not permitted (names only, for the log). */
  readonly withheld: readonly string[];
}

type Json = unknown;

/**
 * Keeps the permitted paths. A path is `a` (a top-level field) or `a[].b` (field `b` of every element
 * of list `a`). Anything not named is stripped, including unknown fields an adapter adds: deny by default.
 * A permitted path keeps a value only when it is a scalar (string, number, boolean, null) or a list
 * of scalars, as every leaf of the catalogue is: an object or a list of objects under it is withheld
 * whole, or a source could put any field inside a permitted one (`inZorg: {diagnose: ...}`).
 *
 * @example minimise({ inZorg: true, sinds: '2020-01-01' }, ['inZorg']) // { data: { inZorg: true }, withheld: ['sinds'] }
 */
export function minimise(record: Record<string, Json>, permitted: readonly string[]): Minimised {
  const tree = toTree(permitted);
  const withheld: string[] = [];
  const data = pick(record, tree, '', withheld);
  return { data, withheld: [...new Set(withheld)].sort() };
}

interface PathTree {
  [field: string]: PathTree | true;
}

function toTree(paths: readonly string[]): PathTree {
  const root: PathTree = {};
  for (const path of paths) {
    const parts = path.split('[].');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = true;
      } else {
        const next = node[part];
        if (next === true) return; // the whole list is already permitted
        node[part] = next ?? {};
        node = node[part];
      }
    });
  }
  return root;
}

function pick(
  record: Record<string, Json>,
  tree: PathTree,
  prefix: string,
  withheld: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const rule = Object.hasOwn(tree, key) ? tree[key] : undefined;
    const name = `${prefix}${key}`;
    if (rule === true) {
      if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) out[key] = value;
      else withheld.push(Array.isArray(value) ? `${name}[]` : name);
    } else if (rule !== undefined && Array.isArray(value)) {
      out[key] = value.map((element: Json) =>
        typeof element === 'object' && element !== null && !Array.isArray(element)
          ? pick(element as Record<string, Json>, rule, `${name}[].`, withheld)
          : (withheld.push(`${name}[]`), null),
      );
    } else if (rule !== undefined && typeof value === 'object' && value !== null) {
      // A nested object where only list paths were permitted: nothing of it is permitted.
      withheld.push(name);
    } else {
      withheld.push(Array.isArray(value) ? `${name}[]` : name);
    }
  }
  return out;
}

function isScalar(value: Json): boolean {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}
