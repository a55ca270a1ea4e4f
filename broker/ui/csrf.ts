// CSRF protection for the pages' forms: fetch metadata and Origin checks plus a token bound to the certificate.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ForbiddenError } from '../errors.ts';
import type { UiEnv } from './ui-env.ts';
import { CsrfError } from './errors.ts';

/** The cookie holding the per-browser secret; `__Host-` keeps subdomains and plain HTTP from setting it. */
export const CSRF_COOKIE = '__Host-schakel-csrf';
/** The form field every POST form carries. */
export const CSRF_FIELD = '_csrf';

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The signed-in certificate's thumbprint, which the token is bound to. */
function thumbprint(c: Context<UiEnv>): string {
  const identity = c.get('identity');
  if (identity === undefined) throw new ForbiddenError('Sign in with a personal certificate.');
  return identity.certificate.x5tS256;
}

function tokenFor(secret: string, x5tS256: string): string {
  return createHmac('sha256', secret).update(x5tS256).digest('base64url');
}

/**
 * The token to put in this page's forms. The browser's secret lives in an HttpOnly, SameSite=Strict
 * cookie (set here when missing); the token is an HMAC of the signed-in certificate under that
 * secret, so a token is useless in another browser and for another person. Nothing is stored on the
 * server, so any broker replica checks it.
 */
export function csrfToken(c: Context<UiEnv>): string {
  let secret = getCookie(c, CSRF_COOKIE);
  if (secret === undefined || !SECRET.test(secret)) {
    secret = randomBytes(32).toString('base64url');
    setCookie(c, CSRF_COOKIE, secret, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
  }
  return tokenFor(secret, thumbprint(c));
}

/**
 * Refuses state-changing requests that did not come from our own pages: a cross-site or unknown
 * `Sec-Fetch-Site`, an `Origin` other than this host, neither header at all, or a form token that
 * does not match the cookie and the certificate. Fails closed.
 *
 * @throws CsrfError (ERR_CSRF, 403)
 * @example ui.use(csrfProtection())
 */
export function csrfProtection(): MiddlewareHandler<UiEnv> {
  return async function csrfProtectionMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (site !== undefined && site !== 'same-origin')
      throw new CsrfError('Cross-site form posts are refused.');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw new CsrfError('The form was posted from another origin.');
    }
    if (site === undefined && origin === undefined) {
      throw new CsrfError('The browser sent neither Origin nor Sec-Fetch-Site.');
    }
    const secret = getCookie(c, CSRF_COOKIE);
    const form = await c.req.parseBody();
    const sent = form[CSRF_FIELD];
    if (secret === undefined || !SECRET.test(secret) || typeof sent !== 'string') {
      throw new CsrfError('The form token is missing.');
    }
    const expected = Buffer.from(tokenFor(secret, thumbprint(c)));
    const given = Buffer.from(sent);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CsrfError('The form token does not match.');
    }
    return next();
  };
}
