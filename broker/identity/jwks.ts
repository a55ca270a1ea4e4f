// Checks a partner's token JWKS at registration: public EC P-256 or Ed25519 signing keys only.

/** How many token keys a partner may register (a rotation needs two). */
const MAX_KEYS = 8;
/** Members only a private or symmetric key has. */
const PRIVATE_MEMBERS = ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
const isText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 512;

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return 'is not a JSON object';
  const k = key as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(k, m)))
    return 'holds private key material: register the public key only';
  if (k.kty === 'EC') {
    if (k.crv !== 'P-256' || !isText(k.x) || !isText(k.y)) return 'must be a P-256 key with x and y';
    if (k.alg !== undefined && k.alg !== 'ES256') return 'an EC key signs with ES256';
  } else if (k.kty === 'OKP') {
    if (k.crv !== 'Ed25519' || !isText(k.x)) return 'must be an Ed25519 key with x';
    if (k.alg !== undefined && k.alg !== 'EdDSA') return 'an Ed25519 key signs with EdDSA';
  } else {
    return 'must be an EC (P-256) or OKP (Ed25519) public key';
  }
  if (k.use !== undefined && k.use !== 'sig') return 'must be a signing key (use "sig")';
  if (k.kid !== undefined && !isText(k.kid)) return 'has a kid that is not a short string';
  return undefined;
}

/**
 * Says what is wrong with a JWKS a partner registers for its user tokens, or undefined when it is
 * usable: `{"keys":[...]}` with at most eight public signing keys, EC P-256 (ES256) or Ed25519 (EdDSA).
 *
 * @example jwksProblem({ keys: [null] }) // 'keys[0] is not a JSON object'
 */
export function jwksProblem(jwks: unknown): string | undefined {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(keys)) {
    return 'must be a JWKS ({"keys":[...]})';
  }
  if (keys.length > MAX_KEYS) return `may hold at most ${MAX_KEYS} keys`;
  for (const [i, key] of keys.entries()) {
    const problem = keyProblem(key);
    if (problem !== undefined) return `keys[${i}] ${problem}`;
  }
  return undefined;
}
