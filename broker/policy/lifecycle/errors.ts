// Policy lifecycle conditions: each refusal a privacy officer can meet has its own stable code.
import { SchakelError } from '../../errors.ts';

/** The server cannot build proposals: the opa CLI (a requirement of this feature) is not installed. */
export class OpaUnavailableError extends SchakelError {
  readonly code = 'ERR_OPA_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Policy build tool unavailable';
}

/** No revision with this id. */
export class RevisionNotFoundError extends SchakelError {
  readonly code = 'ERR_POLICY_REVISION_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Policy revision not found';
}

/** The proposal's content equals an existing revision (the revision is a content hash). */
export class RevisionExistsError extends SchakelError {
  readonly code = 'ERR_POLICY_REVISION_EXISTS';
  readonly status = 409;
  readonly title = 'Policy revision already exists';
}

/** Four eyes: the author may not approve their own proposal. */
export class SelfApprovalError extends SchakelError {
  readonly code = 'ERR_POLICY_SELF_APPROVAL';
  readonly status = 403;
  readonly title = 'Author may not approve';
}

/** This person already approved this revision for the coming activation. */
export class AlreadyApprovedError extends SchakelError {
  readonly code = 'ERR_POLICY_ALREADY_APPROVED';
  readonly status = 409;
  readonly title = 'Already approved';
}

/** The proposal did not build (check or compile errors): it cannot be approved, replayed or activated. */
export class BuildFailedError extends SchakelError {
  readonly code = 'ERR_POLICY_BUILD_FAILED';
  readonly status = 409;
  readonly title = 'Policy proposal did not build';
}

/** The proposal's tests fail; an approver must acknowledge that explicitly. */
export class TestsFailedError extends SchakelError {
  readonly code = 'ERR_POLICY_TESTS_FAILED';
  readonly status = 409;
  readonly title = 'Policy tests fail';
}

/** Activation without the approvals it needs (a second officer; each touched holder's officer). */
export class NotApprovedError extends SchakelError {
  readonly code = 'ERR_POLICY_NOT_APPROVED';
  readonly status = 409;
  readonly title = 'Policy revision not approved';
}

/** The revision is already the active one. */
export class AlreadyActiveError extends SchakelError {
  readonly code = 'ERR_POLICY_ALREADY_ACTIVE';
  readonly status = 409;
  readonly title = 'Policy revision already active';
}

/** Another activation (another broker process, the CLI) was recorded while this one was being made. */
export class ActivationConflictError extends SchakelError {
  readonly code = 'ERR_POLICY_ACTIVATION_CONFLICT';
  readonly status = 409;
  readonly title = 'Another policy activation came first';
}

/** Every lifecycle error code, for callers that switch on it. */
export type PolicyLifecycleErrorCode =
  | OpaUnavailableError['code']
  | RevisionNotFoundError['code']
  | RevisionExistsError['code']
  | SelfApprovalError['code']
  | AlreadyApprovedError['code']
  | BuildFailedError['code']
  | TestsFailedError['code']
  | NotApprovedError['code']
  | AlreadyActiveError['code']
  | ActivationConflictError['code'];
