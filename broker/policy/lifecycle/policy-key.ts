// The broker's policy key: signs every bundle it activates; generated under the data dir when absent.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateBundleKeyPair, parseBundlePrivateKey, parseBundlePublicKey } from '../bundle-keys.ts';
import type { BundleSignatureAlgorithm, BundleVerificationKey } from '../signature.ts';

/** The key activation signs with, and the public half every broker process verifies with. */
export interface PolicyKey {
  readonly key: KeyObject;
  readonly alg: BundleSignatureAlgorithm;
  readonly kid: string;
  readonly verification: BundleVerificationKey;
  /** True when this call generated the key file. */
  readonly created: boolean;
}

/** `schakel-policy-<first 16 hex digits of the SHA-256 of the public key (SPKI DER)>`. */
function keyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `schakel-policy-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

/**
 * Reads the PEM private key at `file`, creating a P-256 key (0600) when it does not exist.
 * Every broker process on one database must use the same key file (as they share the audit keys).
 *
 * @throws PolicySignatureError (ERR_POLICY_SIGNATURE) when the file is not a usable private key.
 */
export function ensurePolicyKey(file: string): PolicyKey {
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, generateBundleKeyPair().privatePem, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  const { key, alg } = parseBundlePrivateKey(readFileSync(file, 'utf8'));
  const publicKey = createPublicKey(key);
  const kid = keyId(publicKey);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { key, alg, kid, verification: parseBundlePublicKey(pem, kid), created };
}
