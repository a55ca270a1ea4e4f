// Bundle signatures: OPA's own signed bundles verify; tampered, unsigned or wrongly keyed ones are refused.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBundlePublicKey } from '../../broker/policy/bundle-keys.ts';
import { loadPolicyEngine, type BundleVerificationKey } from '../../broker/policy/index.ts';
import { signBundleArchive } from '../../broker/policy/sign.ts';
import { verifySignatureToken } from '../../broker/policy/signature.ts';
import { readTarGz, writeTarGz, type ArchiveFile } from '../../broker/policy/tar.ts';
import {
  OPA_HS256_TOKEN,
  OPA_RS256_OTHER_PUBLIC_KEY,
  OPA_RS256_PUBLIC_KEY,
  OPA_RS256_TOKEN,
} from './opa-vectors.ts';
import { INSTALL_OPA, committedBundle, findOpa, opaRequired, runOpa } from './support.ts';

const opa = findOpa();
if (opa === undefined && opaRequired()) throw new Error(`opa is required on CI: ${INSTALL_OPA}`);
if (opa === undefined) console.warn(`skipping the OPA-signed bundle tests: ${INSTALL_OPA}`);

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const signer = keyPair();
const stranger = keyPair();
const trusted = { keys: [parseBundlePublicKey(signer.publicPem)] };
const dir = mkdtempSync(path.join(tmpdir(), 'schakel-sig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replace(archive: Buffer, name: string, change: (content: Buffer) => Buffer | undefined): Buffer {
  const files: ArchiveFile[] = [];
  for (const file of readTarGz(archive)) {
    const content = file.name === name ? change(file.content) : file.content;
    if (content !== undefined) files.push({ name: file.name, content });
  }
  return writeTarGz(files);
}

const refusal = (code: string): unknown => expect.objectContaining({ code });

describe.skipIf(opa === undefined)('a bundle signed by opa build --signing-key', () => {
  let signed: Buffer;
  beforeAll(() => {
    const key = path.join(dir, 'key.pem');
    writeFileSync(key, signer.privatePem, { mode: 0o600 });
    const out = path.join(dir, 'opa-signed.tar.gz');
    runOpa(opa!, [
      'build',
      '-b',
      '-t',
      'wasm',
      '-e',
      'schakel/decision/result',
      '--revision',
      'signed-test',
      '--ignore',
      '*_test.rego',
      '--ignore',
      'scenarios.json',
      '--ignore',
      'schema',
      '--ignore',
      'bundle',
      '--ignore',
      'tools',
      '--signing-key',
      key,
      '--signing-alg',
      'ES256',
      '-o',
      out,
      '.',
    ]);
    signed = readFileSync(out);
  });

  it('loads with the trusted public key', async () => {
    const engine = await loadPolicyEngine(signed, trusted);
    expect(engine.revision).toBe('signed-test');
    expect(engine.signedBy).toBe('default');
  });

  it('still verifies when data.json is re-formatted (OPA hashes its canonical form)', async () => {
    const reformatted = replace(signed, 'data.json', (c) =>
      Buffer.from(JSON.stringify(JSON.parse(c.toString('utf8')), null, 2)),
    );
    await expect(loadPolicyEngine(reformatted, trusted)).resolves.toBeDefined();
  });

  it('refuses a changed data.json', async () => {
    const other = replace(signed, 'data.json', (c) => {
      const data = JSON.parse(c.toString('utf8'));
      data.catalogue.categories['ggz.bekend'].sensitivity = 'public';
      return Buffer.from(JSON.stringify(data));
    });
    await expect(loadPolicyEngine(other, trusted)).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
  });

  it('refuses a changed policy.wasm', async () => {
    const tampered = replace(signed, 'policy.wasm', (c) => {
      const copy = Buffer.from(c);
      copy.writeUInt8(copy.readUInt8(copy.length - 1) ^ 1, copy.length - 1);
      return copy;
    });
    await expect(loadPolicyEngine(tampered, trusted)).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
  });

  it('refuses a bundle with a file removed or added', async () => {
    const removed = replace(signed, 'decision.rego', () => undefined);
    await expect(loadPolicyEngine(removed, trusted)).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
    const added = writeTarGz([
      ...readTarGz(signed),
      { name: 'extra.rego', content: Buffer.from('package extra\n') },
    ]);
    await expect(loadPolicyEngine(added, trusted)).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
  });

  it('refuses a bundle signed by another key', async () => {
    const other = { keys: [parseBundlePublicKey(stranger.publicPem)] };
    await expect(loadPolicyEngine(signed, other)).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
  });

  it('is accepted by opa after schakel re-signs it, and refused by opa with another key', async () => {
    const ours = await signBundleArchive(signed, {
      key: signer.privateKey,
      alg: 'ES256',
      kid: 'schakel-dev',
    });
    const file = path.join(dir, 'ours.tar.gz');
    writeFileSync(file, ours);
    const pub = path.join(dir, 'pub.pem');
    const otherPub = path.join(dir, 'other.pem');
    writeFileSync(pub, signer.publicPem);
    writeFileSync(otherPub, stranger.publicPem);
    const verify = (key: string) =>
      runOpa(
        opa!,
        [
          'build',
          '-b',
          file,
          '--verification-key',
          key,
          '--verification-key-id',
          'schakel-dev',
          '--signing-alg',
          'ES256',
          '-o',
          path.join(dir, 'verified.tar.gz'),
        ],
        dir,
      );
    expect(() => verify(pub)).not.toThrow();
    expect(() => verify(otherPub)).toThrow();
    await expect(loadPolicyEngine(ours, trusted)).resolves.toBeDefined();
  });
});

describe('bundle trust', () => {
  it('refuses the unsigned committed bundle when a signature is required', async () => {
    await expect(loadPolicyEngine(committedBundle(), trusted)).rejects.toThrow(
      refusal('ERR_POLICY_UNSIGNED'),
    );
  });

  it('signs and verifies its own bundles', async () => {
    const ours = await signBundleArchive(committedBundle(), {
      key: signer.privateKey,
      alg: 'ES256',
      kid: 'k1',
    });
    const engine = await loadPolicyEngine(ours, { keys: [parseBundlePublicKey(signer.publicPem, 'k1')] });
    expect(engine.signedBy).toBe('k1');
    await expect(
      loadPolicyEngine(ours, { keys: [parseBundlePublicKey(signer.publicPem, 'k2')] }),
    ).rejects.toThrow(refusal('ERR_POLICY_SIGNATURE'));
  });

  it('refuses garbage as ERR_POLICY_BUNDLE_INVALID', async () => {
    await expect(loadPolicyEngine(Buffer.from('not a bundle'), 'committed')).rejects.toThrow(
      refusal('ERR_POLICY_BUNDLE_INVALID'),
    );
  });

  it('refuses a .signatures.json with two tokens', async () => {
    const files = readTarGz(
      await signBundleArchive(committedBundle(), { key: signer.privateKey, alg: 'ES256', kid: 'k1' }),
    ).map((f) => {
      if (f.name !== '.signatures.json') return f;
      const { signatures } = JSON.parse(f.content.toString('utf8')) as { signatures: string[] };
      return {
        name: f.name,
        content: Buffer.from(JSON.stringify({ signatures: [...signatures, ...signatures] })),
      };
    });
    await expect(loadPolicyEngine(writeTarGz(files), trusted)).rejects.toThrow(
      refusal('ERR_POLICY_SIGNATURE'),
    );
  });
});

describe("OPA's signature test vectors", () => {
  const rsa: BundleVerificationKey = parseBundlePublicKey(OPA_RS256_PUBLIC_KEY, 'foo');

  it('verifies the RS256 token with its key and scope and lists its two files', async () => {
    const verified = await verifySignatureToken(OPA_RS256_TOKEN, { keys: [rsa], scope: 'write' });
    expect(verified.kid).toBe('foo');
    expect(verified.files).toEqual(['db/uam2/entitlements/data.json', 'db/uam2/policy/opa-policy.rego']);
  });

  it('refuses the RS256 token on a scope mismatch', async () => {
    await expect(verifySignatureToken(OPA_RS256_TOKEN, { keys: [rsa], scope: 'bad_scope' })).rejects.toThrow(
      refusal('ERR_POLICY_SIGNATURE'),
    );
  });

  it('refuses the RS256 token with another RSA key', async () => {
    const other = parseBundlePublicKey(OPA_RS256_OTHER_PUBLIC_KEY, 'foo');
    await expect(verifySignatureToken(OPA_RS256_TOKEN, { keys: [other], scope: 'write' })).rejects.toThrow(
      refusal('ERR_POLICY_SIGNATURE'),
    );
  });

  it('refuses the RS256 token when no trusted key has its key id', async () => {
    const bar = parseBundlePublicKey(OPA_RS256_PUBLIC_KEY, 'bar');
    await expect(verifySignatureToken(OPA_RS256_TOKEN, { keys: [bar], scope: 'write' })).rejects.toThrow(
      refusal('ERR_POLICY_SIGNATURE'),
    );
  });

  it('never accepts an HS256 (shared secret) token', async () => {
    await expect(verifySignatureToken(OPA_HS256_TOKEN, { keys: [rsa], scope: 'write' })).rejects.toThrow(
      refusal('ERR_POLICY_SIGNATURE'),
    );
  });
});
