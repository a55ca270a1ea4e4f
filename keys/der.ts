// A minimal DER encoder and reader for the few structures @peculiar/x509 does not model (UZI otherName, CRL number).

/** Encodes one tag-length-value. */
export function tlv(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encodes an OBJECT IDENTIFIER's content octets from dotted form. */
export function encodeOid(oid: string): Uint8Array<ArrayBuffer> {
  const arcs = oid.split('.').map((a) => BigInt(a));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const bytes: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) bytes.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

/** Decodes an OBJECT IDENTIFIER's content octets to dotted form. */
export function decodeOid(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [head = 0n, ...rest] = arcs;
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

/** One parsed element: its tag and content octets. */
export interface DerElement {
  readonly tag: number;
  readonly content: Uint8Array;
}

/**
 * Splits a buffer into its consecutive DER elements (one level, definite lengths only).
 *
 * @throws Error when the encoding is truncated or uses an indefinite length.
 */
export function readElements(bytes: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let i = 0;
  while (i < bytes.length) {
    const tag = bytes[i++]!;
    let length = bytes[i++]!;
    if (length === 0x80) throw new Error('indefinite DER length');
    if (length > 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let k = 0; k < count; k++) length = length * 256 + bytes[i++]!;
    }
    if (i + length > bytes.length) throw new Error('truncated DER element');
    out.push({ tag, content: bytes.subarray(i, i + length) });
    i += length;
  }
  return out;
}

/** Encodes a non-negative INTEGER. */
export function encodeInteger(value: bigint): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let n = value; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}
