// Salted payload hashes: a random nonce per disclosure, so a yes/no answer cannot be guessed from its hash.
import { hash, randomFillSync } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

/** The salted hash of a disclosed payload. The nonce goes to the requester (receipt), the hash to the log. */
export interface SaltedHash {
  readonly nonce: string;
  readonly hash: string;
}

/** Fresh random bytes for 128 nonces at a time: one call into the generator instead of one per disclosure. */
const POOL = Buffer.alloc(32 * 128);
let used = POOL.length;

/** 32 bytes from the pool, each byte handed out once. */
function freshNonce(): string {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const nonce = POOL.toString('base64url', used, used + 32);
  used += 32;
  return nonce;
}

/** hash = SHA-256(nonce bytes || RFC 8785 canonical payload), hex; nonce is 32 random bytes, base64url. */
export function saltedPayloadHash(payload: unknown, nonce: string = freshNonce()): SaltedHash {
  const bytes = Buffer.from(nonce, 'base64url');
  const json = canonicalJson(payload);
  const input = Buffer.allocUnsafe(bytes.length + Buffer.byteLength(json, 'utf8'));
  bytes.copy(input, 0);
  input.write(json, bytes.length, 'utf8');
  return { nonce, hash: hash('sha256', input, 'hex') };
}
