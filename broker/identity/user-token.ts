// User tokens: a partner system's short-lived JWT naming its user and role, bound to its client certificate (RFC 8705).
import { SignJWT, createLocalJWKSet, decodeJwt, errors, importJWK, jwtVerify, type JWK } from 'jose';
import type { PartnerRecord } from './registry.ts';
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

/**
 * Verifies a user token for a partner: signature against the partner's registered JWKS, `iss`, `aud`,
 * `exp` (present and at most 10 minutes ahead), `sub`, `role`, and `cnf.x5t#S256` against the
 * certificate presented. A token issued to another partner is a binding failure.
 *
 * @throws TokenInvalidError (ERR_TOKEN_INVALID), TokenExpiredError (ERR_TOKEN_EXPIRED),
 *   TokenBindingError (ERR_TOKEN_BINDING), RoleNotAllowedError (ERR_ROLE_NOT_ALLOWED).
 */
export async function verifyUserToken(token: string, options: VerifyTokenOptions): Promise<TokenUser> {
  const { partner, x5tS256 } = options;
  const now = options.now ?? new Date();
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
  if (partner.jwks === undefined || partner.jwks.keys.length === 0) {
    throw new TokenInvalidError('This partner has no registered token keys.');
  }
  let payload: Record<string, unknown>;
  try {
    const result = await jwtVerify(token, createLocalJWKSet({ keys: partner.jwks.keys as JWK[] }), {
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
  const exp = payload.exp as number;
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
