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
   * Fetches one category. Rejects on transport errors and malformed answers; the broker turns those
   * into the outcome `error` (and never into `not_found`, which would be a lie to the requester).
   */
  fetch(query: AdapterQuery, signal: AbortSignal): Promise<AdapterAnswer>;
}

/** Raised by an adapter when the source answered something that does not fit the contract. */
export class AdapterProtocolError extends Error {
  override readonly name = 'AdapterProtocolError';
}

/** Validates a source's answer at the boundary. @throws AdapterProtocolError */
export function parseAnswer(value: unknown): AdapterAnswer {
  if (typeof value !== 'object' || value === null) throw new AdapterProtocolError('answer is not an object');
  const status = (value as { status?: unknown }).status;
  if (status === 'not_found') return { status: 'not_found' };
  const record = (value as { record?: unknown }).record;
  if (status === 'found' && typeof record === 'object' && record !== null && !Array.isArray(record)) {
    return { status: 'found', record: record as Record<string, unknown> };
  }
  throw new AdapterProtocolError('answer has no valid status/record');
}
