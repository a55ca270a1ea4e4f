// RFC 8785 (JCS) canonical JSON: the exact bytes that are hashed and signed.

/**
 * Serialises a JSON value the RFC 8785 way: object keys sorted by UTF-16 code units, strings and
 * numbers as ECMAScript's JSON.stringify writes them (which is what RFC 8785 specifies), no
 * whitespace. Written here rather than taken from the `canonicalize` package because the log
 * canonicalises every entry on the hot path and that package is about ten times slower; the tests
 * check this against the RFC's examples and against the package on random values.
 *
 * @throws Error for values JSON cannot represent (NaN, Infinity, a top-level undefined, BigInt).
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new Error('canonicalJson: value has no JSON form');
  return text;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not allowed`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new Error('canonicalJson: BigInt is not allowed');
    case 'object': {
      if (value === null) return 'null';
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return write(withJson.toJSON());
      // Built by concatenation (no parts arrays) and with quoted keys cached: the log canonicalises
      // every entry, and records share their keys.
      if (Array.isArray(value)) {
        let text = '[';
        const items = value as unknown[];
        for (let i = 0; i < items.length; i++) text += (i === 0 ? '' : ',') + (write(items[i]) ?? 'null');
        return text + ']';
      }
      const record = value as Record<string, unknown>;
      let text = '{';
      for (const key of sortedKeys(record)) {
        const item = write(record[key]);
        if (item === undefined) continue;
        text += (text.length === 1 ? '' : ',') + quotedKey(key) + ':' + item;
      }
      return text + '}';
    }
  }
}

/**
 * The object's own keys in UTF-16 code unit order (what `sort()` and `<` both compare by). Objects
 * here have few keys: an insertion sort in place spares Array.prototype.sort's scratch copy, which
 * was the largest single source of garbage on the request path.
 */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const quotedKeys = new Map<string, string>();

/**
 * JSON.stringify(key), cached for the first few thousand short keys seen (records share theirs; a
 * long key is data, not a field name, and would hold memory for the life of the process).
 */
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (key.length <= 64 && quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}
