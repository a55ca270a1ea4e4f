// The hash chain: each entry's hash covers the previous entry's hash and its own canonical body.
import { createHash, hash } from 'node:crypto';

/** The previous hash of the very first entry: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

// Hashing one buffer with crypto.hash is about twice as fast as createHash().update().update()
// .digest() (measured, bench/README.md): the chain hash writes its two parts into this scratch
// buffer first. Safe to share: every use is synchronous.
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * A shared scratch buffer of at least `bytes` bytes, for assembling what is hashed. Its contents
 * are only valid until the next call: use it synchronously and hash it at once.
 */
export function scratchOf(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/** SHA-256 of bytes or UTF-8 text, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** hash_n = SHA-256(hash_{n-1} bytes || UTF-8 canonical body_n), hex. The database trigger computes the same. */
export function chainHash(prevHashHex: string, body: string): string {
  // An odd number of hex digits is refused (TypeError) by the streaming API, as it always was.
  if (prevHashHex.length % 2 !== 0)
    return createHash('sha256').update(prevHashHex, 'hex').update(body, 'utf8').digest('hex');
  const buffer = scratchOf(Math.ceil(prevHashHex.length / 2) + Buffer.byteLength(body, 'utf8'));
  // Like Buffer.from(hex), decoding stops at the first character that is not hex.
  const prevBytes = buffer.write(prevHashHex, 0, 'hex');
  const bodyBytes = buffer.write(body, prevBytes, 'utf8');
  return hash('sha256', buffer.subarray(0, prevBytes + bodyBytes), 'hex');
}
