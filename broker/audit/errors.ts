// Disclosure-log conditions: each has its own stable code.
import { SchakelError } from '../errors.ts';

/**
 * The log cannot be written (database down, disk full, lock timeout). Nothing may be disclosed:
 * the request fails with 503 and the caller retries later.
 */
export class AuditUnavailableError extends SchakelError {
  readonly code = 'ERR_AUDIT_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Audit log unavailable';
  constructor(
    detail = 'The disclosure log cannot be written; nothing was disclosed.',
    options?: { cause?: unknown },
  ) {
    super(detail, { ...options, headers: { 'retry-after': '5' } });
  }
}

/** A producer handed the log a record it must never hold (e.g. something that looks like a BSN). A programmer error. */
export class AuditRecordInvalidError extends SchakelError {
  readonly code = 'ERR_AUDIT_RECORD_INVALID';
  readonly status = 500;
  readonly title = 'Invalid audit record';
}

/** The caller may not read the log (or this entry). */
export class AuditAccessDeniedError extends SchakelError {
  readonly code = 'ERR_AUDIT_ACCESS_DENIED';
  readonly status = 403;
  readonly title = 'Not allowed to read the disclosure log';
}
