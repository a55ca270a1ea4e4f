// `schakel policy sign`: signs a built bundle with an ES256 key, as OPA's own bundle signing does.
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_OK, type Command } from './command.ts';
import { DEFAULT_BUNDLE_FILE } from '../policy/paths.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { generateBundleKeyPair, parseBundlePrivateKey } from '../policy/bundle-keys.ts';
import { loadPolicyEngine } from '../policy/index.ts';
import { signBundleArchive } from '../policy/sign.ts';

/** A stable key id: the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
function keyId(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return `schakel-bundle-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

function ensureDevKey(dir: string): string {
  const keyFile = path.join(dir, 'key.pem');
  if (existsSync(keyFile)) return keyFile;
  const { privatePem, publicPem } = generateBundleKeyPair();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, privatePem, { mode: 0o600 });
  writeFileSync(path.join(dir, 'public.pem'), publicPem, { mode: 0o644 });
  console.log(`created a development bundle-signing key in ${dir} (public key: public.pem)`);
  return keyFile;
}

export const policySignCommand: Command = {
  path: ['policy', 'sign'],
  summary: 'sign a built bundle (ES256) so a broker configured with the public key accepts it',
  help: `Usage: schakel policy sign [--key FILE] [--kid ID] [--bundle FILE] [--out FILE]

Adds .signatures.json to a copy of a bundle: one JWS (ES256) listing the SHA-256 of every file,
in the format \`opa build --signing-key\` writes, so OPA verifies it too.

  --key FILE     PEM private key (P-256). Default: <pki dir>/bundle-signing/key.pem, created
                 with public.pem next to it when absent (development only; keep production keys
                 offline and never commit them).
  --kid ID       key id in the signature header. Default: schakel-bundle-<hash of the public key>.
  --bundle FILE  the bundle to sign. Default: policies/bundle/bundle.tgz (it stays unsigned).
  --out FILE     where to write the signed bundle. Default: <data dir>/policy/bundle.signed.tar.gz.

A broker loads it with SCHAKEL_POLICY_BUNDLE=<out> and SCHAKEL_POLICY_PUBLIC_KEY_FILE=<public key>.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        key: { type: 'string' },
        kid: { type: 'string' },
        bundle: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    });
    const config = values.key === undefined || values.out === undefined ? loadRuntimeConfig() : undefined;
    const keyFile =
      values.key === undefined
        ? ensureDevKey(path.join(config!.pki.dir, 'bundle-signing'))
        : path.resolve(values.key);
    if (!existsSync(keyFile)) throw new UsageError(`--key: ${keyFile} does not exist.`);
    const { key, alg } = parseBundlePrivateKey(readFileSync(keyFile, 'utf8'));
    const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    const kid = values.kid ?? keyId(publicPem);
    const bundleFile = path.resolve(values.bundle ?? DEFAULT_BUNDLE_FILE);
    const out = path.resolve(values.out ?? path.join(config!.dataDir, 'policy', 'bundle.signed.tar.gz'));

    const signed = await signBundleArchive(readFileSync(bundleFile), { key, alg, kid });
    // Check our own output the way the broker will before anyone relies on it.
    const engine = await loadPolicyEngine(signed, { keys: [{ alg, key: createPublicKey(key) }] });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, signed);
    console.log(
      `signed ${bundleFile}\n  revision ${engine.revision}\n  key id   ${kid} (${alg})\n  written  ${out}`,
    );
    return EXIT_OK;
  },
};
