// Signed checkpoints: the Merkle tree head (size, root, chain hash, time) as an ES256 compact JWS.
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { canonicalJson } from './canonical.ts';
import type { Jwks, Keyring } from './keyring.ts';

export const CHECKPOINT_TYP = 'schakel-checkpoint+jws';
export const TOMBSTONE_TYP = 'schakel-tombstone+jws';

/** What a checkpoint states. `chainHash` is the hash of entry `treeSize` (GENESIS for 0). */
export interface TreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly chainHash: string;
  readonly issuedAt: string;
}

/** A signed checkpoint as stored, published and written to the witness. */
export interface SignedCheckpoint extends TreeHead {
  readonly kid: string;
  readonly jws: string;
}

/**
 * Signs a tree head with the active key. `typ` distinguishes batch checkpoints from retention
 * tombstones. Signs in the caller's turn (it stays a promise for its callers; a failure rejects).
 */
export function signTreeHead(
  keyring: Keyring,
  head: TreeHead,
  typ = CHECKPOINT_TYP,
): Promise<SignedCheckpoint> {
  try {
    const jws = keyring.signJws(typ, canonicalJson({ iss: 'schakel', ...head }));
    return Promise.resolve({ ...head, kid: keyring.activeKid, jws });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A verifier for checkpoints and tombstones under a JWKS (current and retired keys). */
export interface CheckpointVerifier {
  /** Verifies the signature and returns the tree head it states, or a reason it fails. */
  verify(jws: string, typ?: string): Promise<{ ok: true; head: TreeHead } | { ok: false; reason: string }>;
}

/** Creates a verifier over the given public keys. */
export function createCheckpointVerifier(jwks: Jwks): CheckpointVerifier {
  const keys = createLocalJWKSet({ keys: [...jwks.keys] });
  return {
    async verify(jws, typ = CHECKPOINT_TYP) {
      try {
        const header = decodeProtectedHeader(jws);
        // The stored header is not echoed: it is unsigned text anyone who can insert a row wrote.
        if (header.typ !== typ) return { ok: false, reason: `its typ is not ${typ}` };
        const { payload } = await compactVerify(jws, keys, { algorithms: ['ES256'] });
        const head = JSON.parse(new TextDecoder().decode(payload)) as TreeHead;
        return { ok: true, head };
      } catch (error) {
        return { ok: false, reason: `signature does not verify (${(error as Error).message})` };
      }
    },
  };
}
