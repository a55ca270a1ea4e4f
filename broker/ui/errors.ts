// Errors raised by the pages themselves (the others come from the services they call).
import { SchakelError } from '../errors.ts';

/** A form post that did not come from our own page: cross-site, wrong origin, or a bad token. */
export class CsrfError extends SchakelError {
  readonly code = 'ERR_CSRF';
  readonly status = 403;
  readonly title = 'Cross-site request refused';
}
