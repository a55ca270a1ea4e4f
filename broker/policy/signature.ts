// OPA bundle signatures: verify `.signatures.json` (one compact JWS listing every file's hash) and sign.
import { createHash, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { ArchiveFile } from './tar.ts';
import { canonicalJson, isStructuredFile } from './canonical-json.ts';
import { PolicyBundleInvalidError, PolicySignatureError, PolicyUnsignedError } from './errors.ts';

/** The file OPA keeps the signature in, at the bundle root. */
export const SIGNATURES_FILE = '.signatures.json';

/** Signature algorithms we accept; symmetric (HS*) keys are never accepted for bundles. */
export type BundleSignatureAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'PS256';

/** A public key the broker trusts for bundles. Without `kid` it matches any key id. */
export interface BundleVerificationKey {
  readonly kid?: string;
  readonly alg: BundleSignatureAlgorithm;
  readonly key: KeyObject | CryptoKey;
}

export interface VerifyOptions {
  readonly keys: readonly BundleVerificationKey[];
  /** Required `scope` claim; OPA's default is none, which requires the claim to be absent or empty. */
  readonly scope?: string;
}

/** What a verified signature says. */
export interface VerifiedSignature {
  readonly kid: string | undefined;
  readonly alg: string;
  /** Names of the files the signature covers (every file of the bundle). */
  readonly files: readonly string[];
}

/** One entry of the signature's `files` claim. */
export interface SignedFile {
  readonly name: string;
  readonly hash: string;
  /** OPA refuses a file whose entry names no algorithm, when it checks that file. */
  readonly algorithm?: string;
}

const HASHES: Readonly<Record<string, string>> = {
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};

/** The hex digest OPA records for one bundle file (structured files in canonical form). */
export function hashBundleFile(name: string, content: Uint8Array, algorithm = 'SHA-256'): string {
  // OPA writes SHA-256; its own test vectors also use sha256. Weaker hashes are refused.
  const node = HASHES[algorithm.toUpperCase().replace('-', '')];
  if (node === undefined) {
    throw new PolicySignatureError(`${name}: hash algorithm ${algorithm} is not accepted`);
  }
  let bytes: Uint8Array = content;
  if (isStructuredFile(name)) {
    try {
      bytes = Buffer.from(canonicalJson(content), 'utf8');
    } catch (error) {
      throw new PolicyBundleInvalidError(`${name} is not valid JSON.`, { cause: error });
    }
  }
  return createHash(node).update(bytes).digest('hex');
}

function readToken(file: ArchiveFile): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.content.toString('utf8'));
  } catch (error) {
    throw new PolicySignatureError(`${SIGNATURES_FILE} is not JSON.`, { cause: error });
  }
  const signatures = (parsed as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(signatures) || signatures.length !== 1 || typeof signatures[0] !== 'string') {
    throw new PolicySignatureError(`${SIGNATURES_FILE} must hold exactly one JWT.`);
  }
  return signatures[0];
}

function readPayload(bytes: Uint8Array): { files: SignedFile[]; scope: unknown; keyid: unknown } {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new PolicySignatureError('The signature payload is not JSON.', { cause: error });
  }
  const { files, scope, keyid } = (payload ?? {}) as { files?: unknown; scope?: unknown; keyid?: unknown };
  const valid =
    Array.isArray(files) &&
    files.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as SignedFile).name === 'string' &&
        typeof (f as SignedFile).hash === 'string' &&
        ['string', 'undefined'].includes(typeof (f as SignedFile).algorithm),
    );
  if (!valid) throw new PolicySignatureError('The signature payload has no valid "files" list.');
  return { files: files as SignedFile[], scope, keyid };
}

function unverifiedKid(token: string): string | undefined {
  try {
    const kid = decodeProtectedHeader(token).kid;
    if (kid !== undefined) return kid;
    // NOTE: OPA still honours the deprecated `keyid` claim when the header has no kid.
    const payload = token.split('.')[1] ?? '';
    const keyid = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { keyid?: unknown })
      .keyid;
    return typeof keyid === 'string' ? keyid : undefined;
  } catch (error) {
    throw new PolicySignatureError('The signature is not a compact JWS.', { cause: error });
  }
}

/**
 * Verifies the JWS of a `.signatures.json` against the trusted keys and returns the signed file
 * list, as OPA's `verifyJWTSignature` does (key id from the header, else the deprecated `keyid`
 * claim; the `scope` claim must equal the configured one).
 *
 * @throws PolicySignatureError (ERR_POLICY_SIGNATURE) on an unknown key, a bad signature or a scope mismatch.
 */
export async function verifySignatureToken(
  token: string,
  options: VerifyOptions,
): Promise<VerifiedSignature & { readonly signed: readonly SignedFile[] }> {
  const kid = unverifiedKid(token);
  const trusted = options.keys.find((k) => k.kid === undefined || k.kid === kid);
  if (trusted === undefined) {
    throw new PolicySignatureError(`No trusted bundle key has the key id "${kid ?? ''}".`);
  }
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(token, trusted.key, { algorithms: [trusted.alg] });
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : 'invalid';
    throw new PolicySignatureError(`The bundle signature does not verify (${reason}).`, { cause: error });
  }
  const payload = readPayload(verified.payload);
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  if (scope !== (options.scope ?? '')) throw new PolicySignatureError('The bundle signature scope differs.');
  return {
    kid,
    alg: verified.protectedHeader.alg,
    files: payload.files.map((f) => f.name),
    signed: payload.files,
  };
}

/**
 * Verifies an OPA bundle signature: the JWS against the trusted keys, then every file's hash, so a
 * bundle verifies only when it holds exactly the signed files with the signed contents.
 *
 * @throws PolicyUnsignedError (ERR_POLICY_UNSIGNED) when the bundle has no `.signatures.json`.
 * @throws PolicySignatureError (ERR_POLICY_SIGNATURE) on an unknown key, a bad signature, a scope
 *   mismatch, or a file that is missing, extra or changed.
 */
export async function verifyBundleSignature(
  files: readonly ArchiveFile[],
  options: VerifyOptions,
): Promise<VerifiedSignature> {
  const signatures = files.find((f) => f.name === SIGNATURES_FILE);
  if (signatures === undefined) throw new PolicyUnsignedError(`The bundle has no ${SIGNATURES_FILE}.`);
  const { signed: list, ...verified } = await verifySignatureToken(readToken(signatures), options);
  const signed = new Map(list.map((f) => [f.name.replace(/^\/+/, ''), f]));
  for (const file of files) {
    if (file.name === SIGNATURES_FILE) continue;
    const entry = signed.get(file.name);
    if (entry === undefined) throw new PolicySignatureError(`${file.name} is not covered by the signature.`);
    if (entry.algorithm === undefined) {
      throw new PolicySignatureError(`${file.name}: the signature names no hash algorithm.`);
    }
    if (hashBundleFile(file.name, file.content, entry.algorithm) !== entry.hash.toLowerCase()) {
      throw new PolicySignatureError(`${file.name} differs from the signed file (digest mismatch).`);
    }
    signed.delete(file.name);
  }
  if (signed.size > 0) {
    throw new PolicySignatureError(
      `Signed file(s) missing from the bundle: ${[...signed.keys()].join(', ')}.`,
    );
  }
  return verified;
}

export interface SignOptions {
  readonly key: KeyObject | CryptoKey;
  readonly kid: string;
  readonly alg?: BundleSignatureAlgorithm;
}

/**
 * Signs a bundle as `opa build --signing-key` does: a JWT whose `files` claim lists every file's
 * SHA-256, stored as `.signatures.json`. Returns the files with the new signature first.
 */
export async function signBundleFiles(
  files: readonly ArchiveFile[],
  options: SignOptions,
): Promise<ArchiveFile[]> {
  const content = files.filter((f) => f.name !== SIGNATURES_FILE);
  const payload = {
    files: content.map((f) => ({
      name: f.name,
      hash: hashBundleFile(f.name, f.content),
      algorithm: 'SHA-256',
    })),
    iat: Math.floor(Date.now() / 1000),
  };
  const token = await new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid, typ: 'JWT' })
    .sign(options.key);
  const signatures = Buffer.from(JSON.stringify({ signatures: [token] }, null, 1), 'utf8');
  return [{ name: SIGNATURES_FILE, content: signatures }, ...content];
}
