// OPA's canonical form of a structured bundle file (data.json, .manifest), which its signatures hash.
//
// OPA parses the file with number literals kept (json.Number) and writes it back compactly with
// object keys sorted by byte order and strings escaped as Go's encoding/json does without HTML
// escaping. Two files that differ only in whitespace or key order therefore have the same hash.

/** A number literal exactly as written in the source (OPA never re-formats numbers). */
class NumberLiteral {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

type Canonical = null | boolean | string | NumberLiteral | Canonical[] | { [key: string]: Canonical };

interface ReviverContext {
  readonly source?: string;
}

function parseKeepingNumbers(text: string): Canonical {
  // Node 22's JSON.parse hands the reviver the source text of each primitive.
  return JSON.parse(text, function keepNumber(_key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === 'number') return new NumberLiteral(context?.source ?? String(value));
    return value;
  }) as Canonical;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string as Go's json encoder writes it with SetEscapeHTML(false). */
export function goJsonString(value: string): string {
  // Go replaces invalid UTF-16/UTF-8 with U+FFFD and, unlike JSON.stringify, escapes U+2028/U+2029.
  return JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function write(value: Canonical, out: string[]): void {
  if (value === null) out.push('null');
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false');
  else if (typeof value === 'string') out.push(goJsonString(value));
  else if (value instanceof NumberLiteral) out.push(value.source);
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
  } else {
    out.push('{');
    Object.keys(value)
      .sort(byteOrder)
      .forEach((key, i) => {
        if (i > 0) out.push(',');
        out.push(goJsonString(key), ':');
        write(value[key] as Canonical, out);
      });
    out.push('}');
  }
}

/**
 * Returns the canonical bytes OPA hashes for a structured bundle file.
 *
 * @throws SyntaxError when the content is not JSON.
 * @example canonicalJson(Buffer.from('{"b": 1.50, "a": []}')) // '{"a":[],"b":1.50}'
 */
export function canonicalJson(content: Uint8Array): string {
  const out: string[] = [];
  write(parseKeepingNumbers(new TextDecoder().decode(content)), out);
  return out.join('');
}

/** True for the files OPA hashes in canonical form rather than byte for byte. */
export function isStructuredFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base === 'data.json' || base === '.manifest';
}
