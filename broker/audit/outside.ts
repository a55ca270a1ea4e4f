// Reads a checkpoint held outside the database (witness file, a saved checkpoint, or a receipt) and checks its signature.
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { CHECKPOINT_TYP, createCheckpointVerifier } from './checkpoint.ts';
import type { Jwks } from './keyring.ts';
import { RECEIPT_TYP } from './receipts.ts';
import type { OutsideCheckpoint } from './verify.ts';

/**
 * Accepts a compact JWS (checkpoint or receipt) or JSON holding one (`jws`, or `receipt` as
 * `GET /v1/receipts/{id}` returns it). Returns the signed tree size and root, or why it is unusable.
 */
export async function readOutsideCheckpoint(
  text: string,
  jwks: Jwks,
  source: string,
): Promise<{ ok: true; checkpoint: OutsideCheckpoint } | { ok: false; reason: string }> {
  let jws = text.trim();
  if (jws.startsWith('{')) {
    const parsed = JSON.parse(jws) as { jws?: unknown; receipt?: unknown };
    const inner = parsed.jws ?? parsed.receipt;
    if (typeof inner !== 'string') return { ok: false, reason: `${source} holds no "jws" or "receipt"` };
    jws = inner;
  }
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(jws).typ;
  } catch {
    return { ok: false, reason: `${source} is not a JWS` };
  }
  if (typ === CHECKPOINT_TYP) {
    const result = await createCheckpointVerifier(jwks).verify(jws);
    if (!result.ok) return { ok: false, reason: `${source}: ${result.reason}` };
    return {
      ok: true,
      checkpoint: { treeSize: result.head.treeSize, rootHash: result.head.rootHash, source },
    };
  }
  if (typ === RECEIPT_TYP) {
    try {
      const { payload } = await compactVerify(jws, createLocalJWKSet({ keys: [...jwks.keys] }), {
        algorithms: ['ES256'],
      });
      const receipt = JSON.parse(new TextDecoder().decode(payload)) as { checkpoint: { jws: string } };
      return readOutsideCheckpoint(receipt.checkpoint.jws, jwks, `${source} (its checkpoint)`);
    } catch (error) {
      return { ok: false, reason: `${source}: signature does not verify (${(error as Error).message})` };
    }
  }
  return { ok: false, reason: `${source}: not a checkpoint or receipt (typ ${String(typ)})` };
}
