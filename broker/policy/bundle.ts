// Reads an OPA wasm bundle: signature first (when required), then manifest, data and policy.wasm.
import { createHash } from 'node:crypto';
import { PolicyBundleInvalidError } from './errors.ts';
import {
  SIGNATURES_FILE,
  verifyBundleSignature,
  type VerifiedSignature,
  type VerifyOptions,
} from './signature.ts';
import { readTarGz, type ArchiveFile } from './tar.ts';

/** The entrypoint every schakel bundle must provide. */
export const ENTRYPOINT = 'schakel/decision/result';

/**
 * How a bundle is trusted: `{ keys }` requires a signature by one of them (every uploaded or
 * configured bundle); `'committed'` accepts the unsigned default bundle that ships with this code
 * (it is as trusted as the code, and the test suite pins it to `policies/`).
 */
export type BundleTrust = VerifyOptions | 'committed';

/** A bundle whose signature (if required) verified, unpacked but not yet instantiated. */
export interface PolicyBundle {
  readonly revision: string;
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly wasm: Buffer;
  readonly files: readonly ArchiveFile[];
  /** SHA-256 (hex) of the archive bytes. */
  readonly sha256: string;
  readonly signature: VerifiedSignature | undefined;
}

function json(files: readonly ArchiveFile[], name: string): Record<string, unknown> {
  const file = files.find((f) => f.name === name);
  if (file === undefined) throw new PolicyBundleInvalidError(`The bundle has no ${name}.`);
  let value: unknown;
  try {
    value = JSON.parse(file.content.toString('utf8'));
  } catch (error) {
    throw new PolicyBundleInvalidError(`The bundle's ${name} is not JSON.`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyBundleInvalidError(`The bundle's ${name} must hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function checkManifest(manifest: Record<string, unknown>): string {
  const { revision, wasm } = manifest;
  if (typeof revision !== 'string' || revision === '') {
    throw new PolicyBundleInvalidError('The bundle manifest has no revision.');
  }
  const entrypoints = Array.isArray(wasm) ? wasm.map((w) => (w as { entrypoint?: unknown }).entrypoint) : [];
  if (!entrypoints.includes(ENTRYPOINT)) {
    throw new PolicyBundleInvalidError(`The bundle does not provide the entrypoint ${ENTRYPOINT}.`);
  }
  return revision;
}

/**
 * Unpacks a bundle archive and, unless it is the committed default, verifies its signature before
 * anything in it is parsed or instantiated.
 *
 * @throws PolicyBundleInvalidError (ERR_POLICY_BUNDLE_INVALID) for a broken archive or manifest.
 * @throws PolicyUnsignedError (ERR_POLICY_UNSIGNED) / PolicySignatureError (ERR_POLICY_SIGNATURE).
 * @example const bundle = await readBundle(readFileSync(file), { keys: [trustedKey] });
 */
export async function readBundle(archive: Uint8Array, trust: BundleTrust): Promise<PolicyBundle> {
  const files = readTarGz(archive);
  const signature = trust === 'committed' ? undefined : await verifyBundleSignature(files, trust);
  const manifest = json(files, '.manifest');
  const revision = checkManifest(manifest);
  const data = json(files, 'data.json');
  const wasm = files.find((f) => f.name === 'policy.wasm')?.content;
  if (wasm === undefined)
    throw new PolicyBundleInvalidError('The bundle has no policy.wasm (build with -t wasm).');
  return {
    revision,
    manifest,
    data,
    wasm,
    files: files.filter((f) => f.name !== SIGNATURES_FILE),
    sha256: createHash('sha256').update(archive).digest('hex'),
    signature,
  };
}
