// Case conditions with their own codes.
import { SchakelError } from '../errors.ts';

/** The case does not exist or the caller may not see it (never 403: a case's existence is secret). */
export class CaseNotFoundError extends SchakelError {
  readonly code = 'ERR_CASE_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Case not found';
}

/** The caller sees the case but may not do this in it (e.g. a non-lead recording an inclusion decision). */
export class CaseActionForbiddenError extends SchakelError {
  readonly code = 'ERR_CASE_ACTION_FORBIDDEN';
  readonly status = 403;
  readonly title = 'Not allowed in this case';
}

export class CaseClosedError extends SchakelError {
  readonly code = 'ERR_CASE_CLOSED';
  readonly status = 409;
  readonly title = 'Case is closed';
}

export class AlreadyMemberError extends SchakelError {
  readonly code = 'ERR_ALREADY_MEMBER';
  readonly status = 409;
  readonly title = 'Partner is already a member';
}
