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
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (const item of value as unknown[]) parts.push(write(item) ?? 'null');
        return `[${parts.join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const text = write(record[key]);
        if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
  }
}
