// Token-signing keys for partner systems: an ES256 private JWK and the public JWKS the partner registers.
import { createHash, webcrypto } from 'node:crypto';

/** A JSON Web Key as written to disk. */
export type Jwk = Record<string, string>;

/** A freshly generated token key: the private JWK (keep it 0600) and the public JWKS. */
export interface TokenKey {
  readonly privateJwk: Jwk;
  readonly jwks: { readonly keys: readonly Jwk[] };
}

/** The RFC 7638 thumbprint of an EC public key, used as its `kid`. */
export function ecThumbprint(jwk: Jwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Generates an ES256 (P-256) token-signing key. */
export async function generateTokenKey(): Promise<TokenKey> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const priv = (await webcrypto.subtle.exportKey('jwk', pair.privateKey)) as Jwk;
  const pub = (await webcrypto.subtle.exportKey('jwk', pair.publicKey)) as Jwk;
  const kid = ecThumbprint(pub);
  const meta = { kid, alg: 'ES256', use: 'sig' };
  const publicJwk: Jwk = { kty: 'EC', crv: 'P-256', x: pub.x ?? '', y: pub.y ?? '', ...meta };
  return { privateJwk: { ...publicJwk, d: priv.d ?? '' }, jwks: { keys: [publicJwk] } };
}
