// The adapter contract: how the broker asks a holder's source for one category about one person.
// An adapter maps the partner's native data to canonical fields; it never decides access.

/** One question to a holder's source. The BSN goes to the holder only, which already knows the person. */
export interface AdapterQuery {
  readonly requestId: string;
  readonly category: string;
  readonly bsn: string;
}

/** A source's answer: the canonical record, or that it holds nothing for this person and category. */
export type AdapterAnswer =
  | { readonly status: 'found'; readonly record: Readonly<Record<string, unknown>> }
  | { readonly status: 'not_found' };

/** A holder's source for its categories. */
export interface Adapter {
  /** The categories this source answers. */
  readonly categories: readonly string[];
  /**
   * Fetches one category. Rejects on transport errors and malformed answers (an AdapterError where
   * the cause is known); the broker turns those into the outcome `error` with the error's reason
   * code (and never into `not_found`, which would be a lie to the requester). It must settle once
   * `signal` aborts.
   */
  fetch(query: AdapterQuery, signal: AbortSignal): Promise<AdapterAnswer>;
}

/**
 * Why a source could not answer, as the requester and the log see it (a stable reason code):
 * `SOURCE_TIMEOUT` (no answer in time), `SOURCE_UNAVAILABLE` (unreachable, TLS failure, 5xx),
 * `SOURCE_INVALID_ANSWER` (an answer that breaks this contract).
 */
export type SourceFailureCode = 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SOURCE_INVALID_ANSWER';

/** The base of the errors an adapter raises; `reason` is the stable code the broker reports. */
export abstract class AdapterError extends Error {
  abstract readonly reason: SourceFailureCode;
  override get name(): string {
    return this.constructor.name;
  }
}

/** Raised by an adapter when the source answered something that does not fit the contract. */
export class AdapterProtocolError extends AdapterError {
  readonly reason = 'SOURCE_INVALID_ANSWER';
}

/** Raised when the source did not answer within the adapter's time or the broker's deadline. */
export class AdapterTimeoutError extends AdapterError {
  readonly reason = 'SOURCE_TIMEOUT';
}

/** Raised when the source cannot be reached (connection, TLS) or answers that it is failing (5xx). */
export class AdapterUnavailableError extends AdapterError {
  readonly reason = 'SOURCE_UNAVAILABLE';
}

/** Field names a record may use: the catalogue's style. Names of withheld fields go to the log. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DEPTH = 8;

/**
 * Validates a source's answer at the boundary: `{"status":"not_found"}` or
 * `{"status":"found","record":{...}}` whose field names are plain identifiers, nested at most
 * eight deep (a source cannot smuggle text into the log through the names of withheld fields).
 *
 * @throws AdapterProtocolError
 */
export function parseAnswer(value: unknown): AdapterAnswer {
  if (typeof value !== 'object' || value === null) throw new AdapterProtocolError('answer is not an object');
  const status = (value as { status?: unknown }).status;
  if (status === 'not_found') return { status: 'not_found' };
  const record = (value as { record?: unknown }).record;
  if (status === 'found' && isObject(record)) {
    checkNames(record, 0);
    return { status: 'found', record };
  }
  throw new AdapterProtocolError('answer has no valid status/record');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkNames(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new AdapterProtocolError('record is nested too deeply');
  if (Array.isArray(value)) {
    for (const element of value) checkNames(element, depth + 1);
  } else if (isObject(value)) {
    for (const [name, field] of Object.entries(value)) {
      if (!FIELD_NAME.test(name))
        throw new AdapterProtocolError('record has a field name outside the contract');
      checkNames(field, depth + 1);
    }
  }
}
