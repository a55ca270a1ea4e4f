// ES256 signing through node:crypto: the JWS it makes is the one jose makes, and verifies against the published JWKS.
import { generateKeyPairSync } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCheckpointVerifier, signTreeHead, TOMBSTONE_TYP } from '../../broker/audit/checkpoint.ts';
import { createEs256Signer } from '../../broker/audit/es256.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { RECEIPT_TYP } from '../../broker/audit/receipts.ts';

describe('ES256 signing', () => {
  it('signs a receipt that jose verifies with the published JWKS, with jose header and payload', async () => {
    const keyring = await loadKeyring(await generateKeyringFile());
    const payload = JSON.stringify({ requestId: 'r-1', note: 'één disclosure' });
    const jws = keyring.signJws(RECEIPT_TYP, payload);
    const { payload: verified, protectedHeader } = await compactVerify(
      jws,
      createLocalJWKSet({ keys: [...keyring.jwks.keys] }),
      { algorithms: ['ES256'] },
    );
    expect(new TextDecoder().decode(verified)).toBe(payload);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: keyring.activeKid, typ: RECEIPT_TYP });
    // ECDSA signatures differ each time; the signed input is byte for byte jose's.
    const joseJws = await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ES256', kid: keyring.activeKid, typ: RECEIPT_TYP })
      .sign(keyring.signingKey);
    expect(jws.split('.').slice(0, 2)).toEqual(joseJws.split('.').slice(0, 2));
    expect(Buffer.from(jws.split('.')[2]!, 'base64url')).toHaveLength(64);
  });

  it('makes a JWS that no longer verifies once its payload is changed', async () => {
    const keyring = await loadKeyring(await generateKeyringFile());
    const [header, , signature] = keyring.signJws(RECEIPT_TYP, '{"seq":1}').split('.');
    const forged = `${header}.${Buffer.from('{"seq":2}').toString('base64url')}.${signature}`;
    await expect(
      compactVerify(forged, createLocalJWKSet({ keys: [...keyring.jwks.keys] })),
    ).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('signs checkpoints and tombstones that the checkpoint verifier accepts under their own typ', async () => {
    const keyring = await loadKeyring(await generateKeyringFile());
    const head = {
      treeSize: 3,
      rootHash: 'a'.repeat(64),
      chainHash: 'b'.repeat(64),
      issuedAt: '2026-12-01T08:00:00.000Z',
    };
    const verifier = createCheckpointVerifier(keyring.jwks);
    const checkpoint = await signTreeHead(keyring, head);
    expect(await verifier.verify(checkpoint.jws)).toEqual({ ok: true, head: { iss: 'schakel', ...head } });
    const tombstone = await signTreeHead(keyring, head, TOMBSTONE_TYP);
    expect(decodeProtectedHeader(tombstone.jws).typ).toBe(TOMBSTONE_TYP);
    expect(await verifier.verify(tombstone.jws)).toMatchObject({ ok: false });
  });

  it('does not echo an unexpected typ: the header is unsigned text from the database', async () => {
    const keyring = await loadKeyring(await generateKeyringFile());
    const verifier = createCheckpointVerifier(keyring.jwks);
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: '\u001b[2Kaudit log intact' })).toString(
      'base64url',
    );
    const result = await verifier.verify(`${header}.e30.AAAA`);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^its typ is not /) });
    expect(JSON.stringify(result)).not.toContain('intact');
  });

  it('refuses a key that is not a P-256 private key', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => createEs256Signer(p384.privateKey, 'k')).toThrow(/P-256 private key/);
    expect(() => createEs256Signer(p256.publicKey, 'k')).toThrow(/P-256 private key/);
    expect(() => createEs256Signer(p256.privateKey, 'k')).not.toThrow();
  });
});
