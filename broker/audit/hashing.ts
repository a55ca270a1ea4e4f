// The hash chain: each entry's hash covers the previous entry's hash and its own canonical body.
import { createHash } from 'node:crypto';

/** The previous hash of the very first entry: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of bytes or UTF-8 text, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** hash_n = SHA-256(hash_{n-1} bytes || UTF-8 canonical body_n), hex. The database trigger computes the same. */
export function chainHash(prevHashHex: string, body: string): string {
  return createHash('sha256').update(prevHashHex, 'hex').update(body, 'utf8').digest('hex');
}
