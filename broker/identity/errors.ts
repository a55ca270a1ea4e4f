// Identity conditions: each refusal of a certificate, person or token has its own stable code.
import { SchakelError } from '../errors.ts';

/** Defines an identity error class for one condition. */
function condition<const C extends string>(code: C, status: number, title: string) {
  return class extends SchakelError {
    readonly code: C = code;
    readonly status: number = status;
    readonly title: string = title;
  };
}

export class CertRequiredError extends condition('ERR_CERT_REQUIRED', 401, 'Client certificate required') {}
export class CertUntrustedError extends condition(
  'ERR_CERT_UNTRUSTED',
  401,
  'Client certificate not trusted',
) {}
export class CertExpiredError extends condition('ERR_CERT_EXPIRED', 401, 'Client certificate expired') {}
export class CertNotYetValidError extends condition(
  'ERR_CERT_NOT_YET_VALID',
  401,
  'Client certificate not yet valid',
) {}
export class CertRevokedError extends condition('ERR_CERT_REVOKED', 401, 'Client certificate revoked') {}
export class CertWrongPurposeError extends condition(
  'ERR_CERT_WRONG_PURPOSE',
  401,
  'Client certificate not issued for client authentication',
) {}
export class CertNoIdentifierError extends condition(
  'ERR_CERT_NO_IDENTIFIER',
  401,
  'Client certificate carries no OIN or URA',
) {}
export class PartnerUnknownError extends condition('ERR_PARTNER_UNKNOWN', 401, 'Partner not registered') {}
export class PersonUnknownError extends condition('ERR_PERSON_UNKNOWN', 401, 'Person not registered') {}
export class PersonAsSystemError extends condition(
  'ERR_CERT_PERSON_AS_SYSTEM',
  403,
  'A personal certificate cannot act as a partner system',
) {}
export class SystemAsPersonError extends condition(
  'ERR_CERT_SYSTEM_AS_PERSON',
  403,
  'A partner-system certificate cannot sign in to the pages',
) {}
/** Trust material is unusable (a CRL expired or is missing): the broker refuses everyone. */
export class TrustUnavailableError extends condition(
  'ERR_TRUST_UNAVAILABLE',
  503,
  'Certificate revocation status unavailable',
) {}
export class TokenRequiredError extends condition('ERR_TOKEN_REQUIRED', 401, 'User token required') {}
export class TokenInvalidError extends condition('ERR_TOKEN_INVALID', 401, 'User token invalid') {}
export class TokenExpiredError extends condition('ERR_TOKEN_EXPIRED', 401, 'User token expired') {}
export class TokenBindingError extends condition(
  'ERR_TOKEN_BINDING',
  401,
  'User token not bound to this client certificate',
) {}
export class RoleNotAllowedError extends condition(
  'ERR_ROLE_NOT_ALLOWED',
  403,
  'Role not allowed for this partner',
) {}
/** A person's browser sent a state-changing request from another site (or a page's bad form token). */
export class CsrfError extends condition('ERR_CSRF', 403, 'Cross-site request refused') {}

/** Every identity refusal, for callers that switch on `code`. */
export type IdentityError = InstanceType<
  | typeof CertRequiredError
  | typeof CertUntrustedError
  | typeof CertExpiredError
  | typeof CertNotYetValidError
  | typeof CertRevokedError
  | typeof CertWrongPurposeError
  | typeof CertNoIdentifierError
  | typeof PartnerUnknownError
  | typeof PersonUnknownError
  | typeof PersonAsSystemError
  | typeof SystemAsPersonError
  | typeof TrustUnavailableError
  | typeof TokenRequiredError
  | typeof TokenInvalidError
  | typeof TokenExpiredError
  | typeof TokenBindingError
  | typeof RoleNotAllowedError
  | typeof CsrfError
>;
/** The connection was retired when the trust material changed; the request did not run: connect again. */
export class ConnectionRetiredError extends condition(
  'ERR_CONNECTION_RETIRED',
  503,
  'Connection retired after a trust change',
) {}
