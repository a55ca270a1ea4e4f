// The guard's token verifier: one signature check per distinct token, every other check on every request.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PartnerRecord } from '../../broker/identity/registry.ts';
import { createTokenVerifier, mintUserToken } from '../../broker/identity/user-token.ts';

const X5T = 'thumbprint-of-the-politie-certificate';
const T0 = new Date('2026-06-01T10:00:00Z');

async function tokenKey(kid: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' },
  };
}

function politie(keys: JWK[]): PartnerRecord {
  return {
    id: 'demo-politie',
    kind: 'politie',
    identifierType: 'oin',
    identifier: '00000001800000001000',
    unit: 'LTDM',
    organisation: 'Politie',
    national: true,
    jwks: { keys },
  };
}

describe('the token verifier the guard uses', () => {
  let key: Awaited<ReturnType<typeof tokenKey>>;
  let token: string;

  beforeAll(async () => {
    key = await tokenKey('k1');
    token = await mintUserToken({
      partnerId: 'demo-politie',
      user: 'u-1',
      role: 'casusregisseur',
      key: key.privateJwk,
      x5tS256: X5T,
      ttlSeconds: 300,
      now: T0,
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('checks the signature of a token once, however often it is sent', async () => {
    const verifySignature = vi.spyOn(crypto.subtle, 'verify');
    const verify = createTokenVerifier();
    const partner = politie([key.publicJwk]);
    for (let i = 0; i < 5; i++) {
      await expect(verify(token, { partner, x5tS256: X5T, now: T0 })).resolves.toEqual({
        id: 'u-1',
        role: 'casusregisseur',
      });
    }
    expect(verifySignature).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token with ERR_TOKEN_EXPIRED once it has expired', async () => {
    const verify = createTokenVerifier();
    const partner = politie([key.publicJwk]);
    await verify(token, { partner, x5tS256: X5T, now: T0 });
    // exp is T0 + 300 s; the clock tolerance is 30 s.
    await expect(
      verify(token, { partner, x5tS256: X5T, now: new Date(T0.getTime() + 329_000) }),
    ).resolves.toMatchObject({ id: 'u-1' });
    await expect(
      verify(token, { partner, x5tS256: X5T, now: new Date(T0.getTime() + 331_000) }),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('refuses a remembered token over another certificate with ERR_TOKEN_BINDING', async () => {
    const verify = createTokenVerifier();
    const partner = politie([key.publicJwk]);
    await verify(token, { partner, x5tS256: X5T, now: T0 });
    await expect(verify(token, { partner, x5tS256: 'another-certificate', now: T0 })).rejects.toMatchObject({
      code: 'ERR_TOKEN_BINDING',
    });
  });

  it('refuses a remembered token with ERR_TOKEN_INVALID once its key is no longer registered', async () => {
    const verify = createTokenVerifier();
    await verify(token, { partner: politie([key.publicJwk]), x5tS256: X5T, now: T0 });
    const rotated = await tokenKey('k2');
    await expect(
      verify(token, { partner: politie([rotated.publicJwk]), x5tS256: X5T, now: T0 }),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
  });

  it('remembers nothing of a token that failed, and refuses it again', async () => {
    const verify = createTokenVerifier();
    const partner = politie([key.publicJwk]);
    const forged = `${token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 2; i++) {
      await expect(verify(forged, { partner, x5tS256: X5T, now: T0 })).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
      });
    }
  });
  it('refuses a token with ERR_TOKEN_INVALID when the registered JWKS is malformed', async () => {
    const verify = createTokenVerifier();
    for (const keys of [[null], ['k'], [key.publicJwk, 42]] as unknown as JWK[][]) {
      await expect(verify(token, { partner: politie(keys), x5tS256: X5T, now: T0 })).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        status: 401,
      });
    }
    const noKeys = { ...politie([]), jwks: {} as unknown as PartnerRecord['jwks'] };
    await expect(verify(token, { partner: noKeys, x5tS256: X5T, now: T0 })).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    });
  });
});
