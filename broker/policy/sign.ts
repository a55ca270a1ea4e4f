// Signs a built bundle archive: the same files, plus a `.signatures.json` OPA itself would accept.
import type { KeyObject } from 'node:crypto';
import { signBundleFiles, type BundleSignatureAlgorithm } from './signature.ts';
import { readTarGz, writeTarGz } from './tar.ts';

export interface SignArchiveOptions {
  readonly key: KeyObject;
  readonly alg: BundleSignatureAlgorithm;
  /** Key id in the JWS header; the broker's trusted key must carry the same id or none. */
  readonly kid: string;
}

/**
 * Returns the archive re-packed with a fresh signature (an existing one is replaced).
 *
 * @throws PolicyBundleInvalidError (ERR_POLICY_BUNDLE_INVALID) when the archive cannot be read.
 */
export async function signBundleArchive(archive: Uint8Array, options: SignArchiveOptions): Promise<Buffer> {
  return writeTarGz(await signBundleFiles(readTarGz(archive), options));
}
