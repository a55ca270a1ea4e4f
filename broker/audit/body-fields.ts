// Reads a few top-level members of a canonical JSON object without parsing the rest, for the verifier's column check.

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** A JSON number, true, false or null, exactly (RFC 8259 section 6). */
const LITERAL = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)$/;

/**
 * Where the values of the wanted members are: the value of `wanted[k]` spans `at[2k]` to
 * `at[2k + 1]` (exclusive) in the scanned text, both -1 when the member is absent. Plain numbers
 * rather than an object per member: the verifier reads a few hundred thousand bodies a second.
 */
export type Spans = number[];

/** The index just past the string whose opening quote is at `at` (the text holds no escape), or -1. */
function stringEnd(text: string, at: number): number {
  const quote = text.indexOf('"', at + 1);
  return quote === -1 ? -1 : quote + 1;
}

/**
 * The index just past the object or array opened at `at`, or -1 when it does not close with the
 * brackets it opened. What lies between is not validated further (see membersOf).
 */
function nestedEnd(text: string, at: number): number {
  const closers: number[] = [];
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE) {
      closers.push(CLOSE_BRACE);
    } else if (c === OPEN_BRACKET) {
      closers.push(CLOSE_BRACKET);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (closers.pop() !== c) return -1;
      if (closers.length === 0) return i + 1;
    }
  }
  return -1;
}

/** The index just past the value starting at `at` (a string, object, array or JSON literal), or -1. */
function valueEnd(text: string, at: number, limit: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return stringEnd(text, at);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return nestedEnd(text, at);
  // A number, true, false or null, up to the member's end.
  let i = at;
  while (i < limit) {
    const d = text.charCodeAt(i);
    if (d === COMMA || d === CLOSE_BRACE) break;
    i += 1;
  }
  return LITERAL.test(text.slice(at, i)) ? i : -1;
}

/**
 * The spans of the members named in `wanted` of the JSON object written in `text` from `start`
 * to `end`, found by skipping every other value without parsing it; undefined when the text is not
 * laid out as canonical JSON (RFC 8785: no whitespace), holds an escape anywhere (a key could spell
 * a wanted one another way; the broker's bodies rarely hold one), or a top-level value is no JSON
 * value. Callers then parse it whole. It is exact for the broker's canonical JSON; in other text it
 * does not validate what it skips (a raw control character in a string, the inside of a nested
 * value), so it is no JSON validator. Parse each span with `valueAt`.
 *
 * @example
 * membersOf('{"a":1,"b":{"c":2}}', ['b', 'x']) // [11, 18, -1, -1]
 */
export function membersOf(
  text: string,
  wanted: readonly string[],
  start = 0,
  end = text.length,
): Spans | undefined {
  if (text.charCodeAt(start) !== OPEN_BRACE || text.charCodeAt(end - 1) !== CLOSE_BRACE) return undefined;
  // An escape could spell a wanted key another way: such text is left to the full parse.
  if (text.indexOf('\\', start) !== -1) return undefined;
  const spans: Spans = new Array<number>(wanted.length * 2).fill(-1);
  let i = start + 1;
  if (i === end - 1) return spans;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1 || text.charCodeAt(keyEnd) !== COLON) return undefined;
    const valueStart = keyEnd + 1;
    const valueStop = valueEnd(text, valueStart, end - 1);
    if (valueStop === -1 || valueStop > end - 1) return undefined;
    const keyLength = keyEnd - i - 2;
    for (let k = 0; k < wanted.length; k++) {
      const w = wanted[k]!;
      if (w.length === keyLength && text.startsWith(w, i + 1)) {
        spans[2 * k] = valueStart;
        spans[2 * k + 1] = valueStop;
      }
    }
    if (valueStop === end - 1) return spans;
    if (text.charCodeAt(valueStop) !== COMMA) return undefined;
    i = valueStop + 1;
  }
}

/**
 * The value of member `k` of spans membersOf found (so the text holds no escape), as JSON.parse
 * gives it for the broker's canonical JSON (a string is sliced, not parsed); undefined when absent.
 */
export function valueAt(text: string, spans: Spans, k: number): unknown {
  const start = spans[2 * k]!;
  if (start === -1) return undefined;
  const end = spans[2 * k + 1]!;
  if (text.charCodeAt(start) === QUOTE) return text.slice(start + 1, end - 1);
  return JSON.parse(text.slice(start, end));
}
