// User tokens: a partner system's short-lived JWT naming its user and role, bound to its client certificate (RFC 8705).
import {
  SignJWT,
  createLocalJWKSet,
  decodeJwt,
  errors,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { Jwks, PartnerRecord } from './registry.ts';
import { roleAllowed } from './roles.ts';
import { RoleNotAllowedError, TokenBindingError, TokenExpiredError, TokenInvalidError } from './errors.ts';

/** The audience every user token names. */
export const TOKEN_AUDIENCE = 'schakel';
/** The longest a token may live: `exp` at most 10 minutes ahead. */
export const MAX_TOKEN_LIFETIME_S = 600;
const CLOCK_TOLERANCE_S = 30;
const ALGORITHMS = ['ES256', 'EdDSA'];

/** The user a verified token names. */
export interface TokenUser {
  readonly id: string;
  readonly role: string;
}

export interface VerifyTokenOptions {
  readonly partner: PartnerRecord;
  /** `x5t#S256` of the client certificate the token arrived over. */
  readonly x5tS256: string;
  readonly now?: Date;
}

/** A partner's registered keys, imported: jose caches each imported key inside its key set. */
type KeySet = ReturnType<typeof createLocalJWKSet>;

/** The signature checks a verifier remembers; see createTokenVerifier. */
interface VerifierState {
  readonly keySets: Map<string, KeySet>;
  readonly verified: Map<string, JWTPayload>;
  readonly maxTokens: number;
}

/** How many verified tokens a verifier remembers by default. */
const VERIFIED_TOKENS_MAX = 4_096;
/** How many distinct partner key sets a verifier keeps imported. */
const KEY_SETS_MAX = 256;

/**
 * Verifies a user token for a partner: signature against the partner's registered JWKS, `iss`, `aud`,
 * `exp` (present and at most 10 minutes ahead), `sub`, `role`, and `cnf.x5t#S256` against the
 * certificate presented. A token issued to another partner is a binding failure.
 *
 * @throws TokenInvalidError (ERR_TOKEN_INVALID), TokenExpiredError (ERR_TOKEN_EXPIRED),
 *   TokenBindingError (ERR_TOKEN_BINDING), RoleNotAllowedError (ERR_ROLE_NOT_ALLOWED).
 */
export function verifyUserToken(token: string, options: VerifyTokenOptions): Promise<TokenUser> {
  return verify(token, options, undefined);
}

/**
 * A verifyUserToken that remembers, per verifier, which tokens' signatures it has checked: keyed by
 * the exact token string, the certificate thumbprint, the partner and its registered keys, so a
 * partner system that sends the same user token on many requests pays for one ES256 verification.
 * Everything that depends on the time (`exp`, `nbf`, `iat`, the lifetime), the certificate binding
 * and the role are checked again on every call; a changed JWKS is a different key (a removed key no
 * longer verifies anything). Each partner's keys are imported once per distinct JWKS.
 *
 * @example const verifyToken = createTokenVerifier(); const user = await verifyToken(jwt, { partner, x5tS256, now });
 */
export function createTokenVerifier(
  options: { readonly maxTokens?: number } = {},
): (token: string, options: VerifyTokenOptions) => Promise<TokenUser> {
  const state: VerifierState = {
    keySets: new Map(),
    verified: new Map(),
    maxTokens: options.maxTokens ?? VERIFIED_TOKENS_MAX,
  };
  return (token, verifyOptions) => verify(token, verifyOptions, state);
}

/** The time claims jwtVerify checks, checked again for a remembered token (jose's rules and tolerance). */
function checkTimes(payload: JWTPayload, now: Date): void {
  const at = Math.floor(now.getTime() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= at - CLOCK_TOLERANCE_S) {
    throw new TokenExpiredError('The user token has expired.');
  }
  if (typeof payload.nbf === 'number' && payload.nbf > at + CLOCK_TOLERANCE_S) {
    throw new TokenInvalidError("The user token did not verify against the partner's registered keys.");
  }
}

/** A JWKS as text, the key of what was verified under it; memoised per registry read. */
const jwksTexts = new WeakMap<Jwks, string>();
function jwksText(jwks: Jwks): string {
  let text = jwksTexts.get(jwks);
  if (text === undefined) {
    text = JSON.stringify(jwks.keys);
    jwksTexts.set(jwks, text);
  }
  return text;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}

async function verify(
  token: string,
  options: VerifyTokenOptions,
  state: VerifierState | undefined,
): Promise<TokenUser> {
  const { partner, x5tS256 } = options;
  const now = options.now ?? new Date();
  const jwksKey = partner.jwks === undefined ? '' : jwksText(partner.jwks);
  const tokenKey = `${partner.id}\n${x5tS256}\n${jwksKey}\n${token}`;
  const known = state?.verified.get(tokenKey);
  if (known !== undefined) {
    checkTimes(known, now);
    return checkClaims(known, options, now);
  }
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw new TokenInvalidError('The user token is not a JWT.');
  }
  if (typeof unverified.iss === 'string' && unverified.iss !== partner.id) {
    throw new TokenBindingError(
      'The user token was issued by another partner than this certificate belongs to.',
    );
  }
  const keys: unknown = partner.jwks?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TokenInvalidError('This partner has no registered token keys.');
  }
  let keySet = state?.keySets.get(jwksKey);
  if (keySet === undefined) {
    try {
      keySet = createLocalJWKSet({ keys: keys as JWK[] });
    } catch (error) {
      // Registration checks the JWKS; one stored before that check may still be malformed.
      throw new TokenInvalidError("This partner's registered token keys are unusable.", { cause: error });
    }
    if (state !== undefined) remember(state.keySets, jwksKey, keySet, KEY_SETS_MAX);
  }
  let payload: JWTPayload;
  try {
    const result = await jwtVerify(token, keySet, {
      algorithms: ALGORITHMS,
      audience: TOKEN_AUDIENCE,
      issuer: partner.id,
      requiredClaims: ['exp', 'sub', 'iss', 'aud'],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    payload = result.payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenExpiredError('The user token has expired.');
    throw new TokenInvalidError("The user token did not verify against the partner's registered keys.", {
      cause: error,
    });
  }
  const user = checkClaims(payload, options, now);
  // Only a token that passed every check is remembered.
  if (state !== undefined) remember(state.verified, tokenKey, payload, state.maxTokens);
  return user;
}

/** The checks after the signature: lifetime, binding, user and role. */
function checkClaims(payload: JWTPayload, options: VerifyTokenOptions, now: Date): TokenUser {
  const { partner, x5tS256 } = options;
  const exp = payload.exp!;
  // Found by fuzzing: a token "issued" in the future is the mark of a broken or hostile issuer.
  if (typeof payload.iat === 'number' && payload.iat - now.getTime() / 1000 > CLOCK_TOLERANCE_S) {
    throw new TokenInvalidError('The user token was issued in the future (iat).');
  }
  if (exp - now.getTime() / 1000 > MAX_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S) {
    throw new TokenInvalidError(`The user token may live at most ${MAX_TOKEN_LIFETIME_S} seconds.`);
  }
  const cnf = payload.cnf as Record<string, unknown> | undefined;
  if (typeof cnf?.['x5t#S256'] !== 'string' || cnf['x5t#S256'] !== x5tS256) {
    throw new TokenBindingError('The user token is bound to another client certificate (cnf.x5t#S256).');
  }
  const role = payload.role;
  const sub = payload.sub;
  if (typeof role !== 'string' || typeof sub !== 'string' || sub === '') {
    throw new TokenInvalidError('The user token must name its user (sub) and role.');
  }
  if (!roleAllowed(partner.kind, role)) {
    throw new RoleNotAllowedError(`A ${partner.kind} partner cannot vouch for the role ${role}.`);
  }
  return { id: sub, role };
}

export interface MintTokenOptions {
  readonly partnerId: string;
  readonly user: string;
  readonly role: string;
  /** The partner's private token key (JWK with `kid` and `alg`). */
  readonly key: JWK;
  /** `x5t#S256` of the partner's client certificate. */
  readonly x5tS256: string;
  readonly ttlSeconds?: number;
  readonly now?: Date;
}

/**
 * Signs a user token the way a partner system does (for `schakel pki token` and tests).
 *
 * @example const jwt = await mintUserToken({ partnerId: 'demo-politie', user: 'u-1', role: 'analist', key, x5tS256 });
 */
export async function mintUserToken(o: MintTokenOptions): Promise<string> {
  const alg = o.key.alg ?? (o.key.kty === 'OKP' ? 'EdDSA' : 'ES256');
  const key = await importJWK(o.key, alg);
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: o.role, cnf: { 'x5t#S256': o.x5tS256 } })
    .setProtectedHeader({ alg, typ: 'JWT', ...(o.key.kid === undefined ? {} : { kid: o.key.kid }) })
    .setIssuer(o.partnerId)
    .setSubject(o.user)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.ttlSeconds ?? 300))
    .sign(key);
}
