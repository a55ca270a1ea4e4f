// The error hierarchy: one class per condition, each with a stable ERR_* code and HTTP status.

/** A field-level validation problem, as reported to a caller. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The base of every error schakel raises on purpose. `code` is stable and documented; callers and
 * tests switch on it. `detail` is safe to show a partner; `cause` never is.
 */
export abstract class SchakelError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  abstract readonly title: string;
  readonly detail: string | undefined;
  readonly errors: readonly FieldProblem[] | undefined;
  /** Extra response headers, e.g. Retry-After or Allow. */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    detail?: string,
    options?: { cause?: unknown; errors?: readonly FieldProblem[]; headers?: Record<string, string> },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = detail;
    this.errors = options?.errors;
    this.headers = options?.headers;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** Defines an error class for one condition; keeps each subclass to one line. */
function condition<const C extends string>(code: C, status: number, title: string) {
  return class extends SchakelError {
    readonly code: C = code;
    readonly status: number = status;
    readonly title: string = title;
  };
}

export class NotFoundError extends condition('ERR_NOT_FOUND', 404, 'Not found') {}
export class MethodNotAllowedError extends condition('ERR_METHOD_NOT_ALLOWED', 405, 'Method not allowed') {}
export class MalformedJsonError extends condition('ERR_MALFORMED_JSON', 400, 'Malformed JSON body') {}
export class BadRequestError extends condition('ERR_BAD_REQUEST', 400, 'Bad request') {}
export class UnsupportedMediaTypeError extends condition(
  'ERR_UNSUPPORTED_MEDIA_TYPE',
  415,
  'Unsupported media type',
) {}
export class BodyTooLargeError extends condition('ERR_BODY_TOO_LARGE', 413, 'Request body too large') {}
export class ValidationError extends condition('ERR_VALIDATION', 422, 'Validation failed') {}
export class ConflictError extends condition('ERR_CONFLICT', 409, 'Conflict') {}
export class ForbiddenError extends condition('ERR_FORBIDDEN', 403, 'Forbidden') {}
export class RateLimitedError extends condition('ERR_RATE_LIMITED', 429, 'Too many requests') {}
export class ConcurrencyLimitedError extends condition(
  'ERR_CONCURRENCY_LIMITED',
  429,
  'Too many requests in progress',
) {}
export class DatabaseUnavailableError extends condition(
  'ERR_DATABASE_UNAVAILABLE',
  503,
  'Database unavailable',
) {}
export class InternalError extends condition('ERR_INTERNAL', 500, 'Internal error') {}
/** The client closed the connection before the answer was ready; the work for it was stopped (499, as nginx logs it). */
export class ClientClosedError extends condition('ERR_CLIENT_CLOSED', 499, 'Client closed the request') {}

/** Configuration is wrong; raised at start-up with every bad setting named. */
export class ConfigError extends condition('ERR_CONFIG', 2, 'Invalid configuration') {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A CLI was called wrongly; exit code 2 with a message saying what to do. */
export class UsageError extends condition('ERR_USAGE', 2, 'Usage error') {}
