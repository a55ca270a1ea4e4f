// Helpers for routes: demand a partner user (token) or a person in one of some roles.
import type { Context } from 'hono';
import { ForbiddenError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import { CertRequiredError, TokenRequiredError } from './errors.ts';
import type { Identity } from './identity.ts';

/** The caller's identity; the guard always sets it before routes run. @throws CertRequiredError */
export function identityOf(c: Context<AppEnv>): Identity {
  const identity = c.get('identity');
  if (identity === undefined) throw new CertRequiredError('Present a client certificate.');
  return identity;
}

/**
 * The partner system and the user it vouches for. Organisation identity without a user token may
 * only use system endpoints.
 *
 * @throws TokenRequiredError (ERR_TOKEN_REQUIRED), ForbiddenError (ERR_FORBIDDEN) for a person.
 */
export function requireUser(c: Context<AppEnv>): Identity & { user: { id: string; role: string } } {
  const identity = identityOf(c);
  if (identity.kind !== 'system') throw new ForbiddenError('This path is for partner systems.');
  if (identity.user === undefined)
    throw new TokenRequiredError('Send a user token: Authorization: Bearer <jwt>.');
  return identity as Identity & { user: { id: string; role: string } };
}

/** A signed-in person with one of `roles`. @throws ForbiddenError (ERR_FORBIDDEN) */
export function requirePerson(c: Context<AppEnv>, roles: readonly string[]): NonNullable<Identity['person']> {
  const person = identityOf(c).person;
  if (person === undefined || !roles.includes(person.role)) {
    throw new ForbiddenError(`Only ${roles.join(', ')} may do this.`);
  }
  return person;
}
