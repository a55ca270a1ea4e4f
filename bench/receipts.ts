// Micro benchmark: receipt signing (canonical JSON + ES256, as the broker signs them, and through jose) and verification against the JWKS (prints figures, asserts nothing).
// Run: npm exec -- node bench/receipts.ts [RUNS=5000]
import { randomBytes } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet } from 'jose';
import { canonicalJson } from '../broker/audit/canonical.ts';
import { generateKeyringFile, loadKeyring } from '../broker/audit/keyring.ts';
import { RECEIPT_TYP } from '../broker/audit/receipts.ts';

const RUNS = Number(process.argv[2] ?? 5_000);
const keyring = await loadKeyring(await generateKeyringFile());
const jwks = createLocalJWKSet(keyring.jwks as Parameters<typeof createLocalJWKSet>[0]);

// A receipt as the flow issues it for a request with two disclosed items.
const payload = (i: number) => ({
  iss: 'schakel',
  jti: `r-${i}`,
  iat: Math.floor(Date.now() / 1000),
  requestId: `req-${i}`,
  requester: 'demo-politie',
  items: ['politie.registraties', 'om.strafzaken'].map((category, k) => ({
    seq: i * 2 + k,
    holder: category.startsWith('om') ? 'demo-om' : 'demo-politie',
    category,
    payloadHash: randomBytes(32).toString('hex'),
    nonce: randomBytes(16).toString('base64url'),
  })),
  policyRevision: 'a'.repeat(64),
  checkpoint: { treeSize: i * 2 + 2, rootHash: randomBytes(32).toString('hex'), jws: 'x'.repeat(300) },
  conditions: { onwardSharing: 'within_case' },
});

// As the broker signs them (node:crypto in the caller's turn), and through jose's WebCrypto path for comparison.
const sign = (i: number) => keyring.signJws(RECEIPT_TYP, canonicalJson(payload(i)));
const signWithJose = (i: number) =>
  new CompactSign(new TextEncoder().encode(canonicalJson(payload(i))))
    .setProtectedHeader({ alg: 'ES256', kid: keyring.activeKid, typ: RECEIPT_TYP })
    .sign(keyring.signingKey);

for (let i = 0; i < 200; i++) await signWithJose(i);
let started = performance.now();
for (let i = 0; i < RUNS; i++) await signWithJose(i);
const joseSeconds = (performance.now() - started) / 1000;

for (let i = 0; i < 200; i++) sign(i);
const signed: string[] = [];
started = performance.now();
for (let i = 0; i < RUNS; i++) signed.push(sign(i));
const signSeconds = (performance.now() - started) / 1000;

for (let i = 0; i < 200; i++) await compactVerify(signed[i]!, jwks);
started = performance.now();
for (const jws of signed) await compactVerify(jws, jwks);
const verifySeconds = (performance.now() - started) / 1000;

const rate = (seconds: number) => Math.round(RUNS / seconds).toLocaleString('en');
console.log(`receipts (ES256 over RFC 8785 JSON, two items), ${RUNS} each:`);
console.log(
  `  signing                  ${rate(signSeconds).padStart(8)} /s  (${((signSeconds / RUNS) * 1e6).toFixed(0)} µs each)`,
);
console.log(
  `  signing through jose     ${rate(joseSeconds).padStart(8)} /s  (${((joseSeconds / RUNS) * 1e6).toFixed(0)} µs each, WebCrypto)`,
);
console.log(
  `  verification (JWKS)      ${rate(verifySeconds).padStart(8)} /s  (${((verifySeconds / RUNS) * 1e6).toFixed(0)} µs each)`,
);
