// The HTTP transport: POST the query as JSON to the partner's endpoint over mutual TLS, with a deadline and retries.
import { type Adapter, type AdapterAnswer, AdapterProtocolError, parseAnswer } from './contract.ts';
import { exchange, parseJson, type ExchangeOptions } from './http-exchange.ts';

export interface HttpAdapterOptions extends ExchangeOptions {
  /** The partner endpoint, e.g. https://ggz.example/schakel/v1/query. */
  readonly url: string;
  readonly categories: readonly string[];
}

/**
 * An adapter for a partner that exposes the canonical query over HTTPS (docs/partner-api.md). The
 * answer is `200` with `{"status":"found","record":{...}}` or `{"status":"not_found"}` (a `404`
 * counts only with that body, so a misrouted URL is never read as "this person is not known
 * here"). The query is a read that the partner API declares safe and idempotent, so a connection
 * failure or a 502/503/504 is retried within the deadline (`retries`, default 2).
 *
 * @throws AdapterTimeoutError (SOURCE_TIMEOUT), AdapterUnavailableError (SOURCE_UNAVAILABLE: no
 *   connection, TLS failure, 5xx, 401/403/408/429) or AdapterProtocolError (SOURCE_INVALID_ANSWER).
 * @example createHttpAdapter({ url, categories: ['ggz.bekend'], fetch: mtlsFetch })
 */
export function createHttpAdapter(options: HttpAdapterOptions): Adapter {
  return {
    categories: options.categories,
    async fetch(query, signal): Promise<AdapterAnswer> {
      const { status, text } = await exchange(
        options,
        {
          url: options.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': query.requestId },
          body: JSON.stringify({ category: query.category, subject: { bsn: query.bsn } }),
          idempotent: true,
        },
        signal,
      );
      if (status !== 200 && status !== 404) {
        throw new AdapterProtocolError(`source answered HTTP ${status}`);
      }
      const answer = parseAnswer(parseJson(text));
      if (status === 404 && answer.status !== 'not_found') {
        throw new AdapterProtocolError('source answered HTTP 404 without a not_found body');
      }
      return answer;
    },
  };
}
