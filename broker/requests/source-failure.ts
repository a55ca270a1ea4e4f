// Asking a holder's source within a hard deadline, and the stable reason code a requester reads when it failed.
import {
  type Adapter,
  type AdapterAnswer,
  AdapterError,
  type AdapterQuery,
  AdapterTimeoutError,
  AdapterUnavailableError,
  type SourceFailureCode,
} from '../../adapters/contract.ts';
import type { PolicyReason } from '../policy/types.ts';

const REASONS: Readonly<Record<SourceFailureCode, PolicyReason>> = {
  SOURCE_UNAVAILABLE: {
    code: 'SOURCE_UNAVAILABLE',
    nl: 'De bron van de houder kon nu niet antwoorden; probeer het later opnieuw.',
    en: "The holder's source could not answer now; try again later.",
  },
  SOURCE_TIMEOUT: {
    code: 'SOURCE_TIMEOUT',
    nl: 'De bron van de houder antwoordde niet op tijd; probeer het later opnieuw.',
    en: "The holder's source did not answer in time; try again later.",
  },
  SOURCE_INVALID_ANSWER: {
    code: 'SOURCE_INVALID_ANSWER',
    nl: 'De bron van de houder gaf een onbruikbaar antwoord; er is niets verstrekt.',
    en: "The holder's source gave an unusable answer; nothing was disclosed.",
  },
};

/**
 * Asks the adapter for one category, settling by `deadlineMs` even when the adapter ignores its
 * abort signal: a slow source must never hold the whole request.
 *
 * @throws AdapterUnavailableError when there is no adapter for the category; AdapterTimeoutError
 *   at the deadline; whatever the adapter rejects with.
 * @example const answer = await askSource(adapters('demo-ggz'), { requestId, category, bsn }, 10_000);
 */
export async function askSource(
  adapter: Adapter | undefined,
  query: AdapterQuery,
  deadlineMs: number,
): Promise<AdapterAnswer> {
  if (adapter === undefined || !adapter.categories.includes(query.category)) {
    throw new AdapterUnavailableError(`no source configured for ${query.category}`);
  }
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AdapterTimeoutError(`no answer within ${deadlineMs} ms`);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  try {
    return await Promise.race([adapter.fetch(query, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The reason for the outcome `error` of one (holder, category) pair. An adapter's own error names
 * its cause; anything else reads as the source being unavailable. Never carries the adapter's
 * message: it may echo what the source said.
 *
 * @example sourceFailure(new AdapterTimeoutError('...')).code // 'SOURCE_TIMEOUT'
 */
export function sourceFailure(error: unknown): PolicyReason {
  return REASONS[error instanceof AdapterError ? error.reason : 'SOURCE_UNAVAILABLE'];
}
