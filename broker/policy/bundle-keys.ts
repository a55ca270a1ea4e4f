// Bundle-signing keys: ES256 key pairs as PEM, and the public key the broker verifies bundles with.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { PolicySignatureError } from './errors.ts';
import type { BundleSignatureAlgorithm, BundleVerificationKey } from './signature.ts';

function algorithmOf(key: KeyObject): BundleSignatureAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
  }
  throw new PolicySignatureError(`Unsupported bundle key type ${key.asymmetricKeyType ?? 'unknown'}.`);
}

/**
 * Parses a PEM public key (SPKI) into a trusted bundle key; the algorithm follows the key type.
 *
 * @throws PolicySignatureError (ERR_POLICY_SIGNATURE) for a key that is not an EC or RSA public key.
 */
export function parseBundlePublicKey(pem: string, kid?: string): BundleVerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new PolicySignatureError('The bundle public key is not a PEM public key.', { cause: error });
  }
  return kid === undefined ? { alg: algorithmOf(key), key } : { kid, alg: algorithmOf(key), key };
}

/** Parses a PEM private key for `schakel policy sign`. @throws PolicySignatureError */
export function parseBundlePrivateKey(pem: string): { key: KeyObject; alg: BundleSignatureAlgorithm } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new PolicySignatureError('The bundle signing key is not a PEM private key.', { cause: error });
  }
  return { key, alg: algorithmOf(key) };
}

/** Generates an ES256 (P-256) bundle-signing key pair as PKCS#8 and SPKI PEM. */
export function generateBundleKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
