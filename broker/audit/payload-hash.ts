// Salted payload hashes: a random nonce per disclosure, so a yes/no answer cannot be guessed from its hash.
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

/** The salted hash of a disclosed payload. The nonce goes to the requester (receipt), the hash to the log. */
export interface SaltedHash {
  readonly nonce: string;
  readonly hash: string;
}

/** hash = SHA-256(nonce bytes || RFC 8785 canonical payload), hex; nonce is 32 random bytes, base64url. */
export function saltedPayloadHash(
  payload: unknown,
  nonce: string = randomBytes(32).toString('base64url'),
): SaltedHash {
  const hash = createHash('sha256')
    .update(Buffer.from(nonce, 'base64url'))
    .update(canonicalJson(payload), 'utf8')
    .digest('hex');
  return { nonce, hash };
}
