// Policy conditions: each failure to load, verify or evaluate a bundle has its own stable code.
import { SchakelError } from '../errors.ts';

/** No verified bundle is loaded, or opa-wasm failed while evaluating: nothing is disclosed. */
export class PolicyUnavailableError extends SchakelError {
  readonly code = 'ERR_POLICY_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Policy unavailable';
}

/** The bundle is not a readable OPA wasm bundle (archive, manifest, data or wasm). */
export class PolicyBundleInvalidError extends SchakelError {
  readonly code = 'ERR_POLICY_BUNDLE_INVALID';
  readonly status = 422;
  readonly title = 'Policy bundle invalid';
}

/** The bundle carries no `.signatures.json` while verification is required. */
export class PolicyUnsignedError extends SchakelError {
  readonly code = 'ERR_POLICY_UNSIGNED';
  readonly status = 422;
  readonly title = 'Policy bundle not signed';
}

/** The signature does not verify, or a file's hash differs from the signed one. */
export class PolicySignatureError extends SchakelError {
  readonly code = 'ERR_POLICY_SIGNATURE';
  readonly status = 422;
  readonly title = 'Policy bundle signature invalid';
}

/** Every policy error code, for callers that switch on it. */
export type PolicyErrorCode =
  | PolicyUnavailableError['code']
  | PolicyBundleInvalidError['code']
  | PolicyUnsignedError['code']
  | PolicySignatureError['code'];
