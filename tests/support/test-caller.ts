// A 401 for tests that drive routes with an injected caller instead of real certificates and tokens.
import { SchakelError } from '../../broker/errors.ts';

export class UnauthenticatedForTest extends SchakelError {
  readonly code = 'ERR_CERT_REQUIRED';
  readonly status = 401;
  readonly title = 'No caller';
}
