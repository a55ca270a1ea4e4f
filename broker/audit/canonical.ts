// RFC 8785 (JCS) canonical JSON: the exact bytes that are hashed and signed.
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose typings claim an ES default export; at run time the import is the function.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * Serialises a JSON value the RFC 8785 way (sorted keys by UTF-16 code units, ECMAScript number
 * form, minimal escaping).
 *
 * @throws Error for values JSON cannot represent (NaN, Infinity, undefined at the top level).
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('canonicalJson: value has no JSON form');
  return text;
}
