// Identity conditions: each refusal of a certificate or token has its own stable code.
import { SchakelError } from '../errors.ts';

export class CertRequiredError extends SchakelError {
  readonly code = 'ERR_CERT_REQUIRED';
  readonly status = 401;
  readonly title = 'Client certificate required';
}
