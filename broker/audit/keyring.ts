// The broker's ES256 signing keys for checkpoints and receipts: one active key, retired public keys kept.
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createEs256Signer, type Es256Sign } from './es256.ts';

/** One key as stored: the active key with its private part, retired keys public only. */
export interface StoredKey {
  readonly kid: string;
  readonly status: 'active' | 'retired';
  readonly createdAt: string;
  readonly jwk: JWK;
}

/** The stored form of the keyring (a JSON file, mode 0600). */
export interface KeyringFile {
  readonly keys: readonly StoredKey[];
}

/** A public JSON Web Key Set, as published at /.well-known/jwks.json. */
export interface Jwks {
  readonly keys: readonly JWK[];
}

/** A loaded keyring: sign with the active key, verify with any. */
export interface Keyring {
  readonly activeKid: string;
  readonly signingKey: CryptoKey;
  /** Signs a payload with the active key as an ES256 compact JWS (header alg, kid, typ), synchronously. */
  readonly signJws: Es256Sign;
  readonly jwks: Jwks;
}

function publicPart(jwk: JWK, kid: string): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } as JWK;
}

/** The public keys of a keyring file (active and retired), as published. */
export function publicJwks(file: KeyringFile): Jwks {
  return { keys: file.keys.map((k) => publicPart(k.jwk, k.kid)) };
}

/** Creates a keyring file with one fresh active key. */
export async function generateKeyringFile(now = new Date()): Promise<KeyringFile> {
  return { keys: [await newKey(now)] };
}

async function newKey(now: Date): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    kid: randomUUID(),
    status: 'active',
    createdAt: now.toISOString(),
    jwk: await exportJWK(privateKey),
  };
}

/** Adds a new active key; the previous active key is retired and stripped to its public part. */
export async function rotateKeyringFile(file: KeyringFile, now = new Date()): Promise<KeyringFile> {
  const retired = file.keys.map((k): StoredKey => ({
    ...k,
    status: 'retired',
    jwk: publicPart(k.jwk, k.kid),
  }));
  return { keys: [await newKey(now), ...retired] };
}

/**
 * Loads a keyring file.
 *
 * @throws Error when there is not exactly one active key with a private part.
 */
export async function loadKeyring(file: KeyringFile): Promise<Keyring> {
  const active = file.keys.filter((k) => k.status === 'active');
  if (active.length !== 1 || active[0]!.jwk.d === undefined) {
    throw new Error('the audit signing keyring needs exactly one active key with its private part');
  }
  const key = active[0]!;
  const signingKey = (await importJWK({ ...key.jwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return {
    activeKid: key.kid,
    signingKey,
    signJws: createEs256Signer(signingKey, key.kid),
    jwks: publicJwks(file),
  };
}
