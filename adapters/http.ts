// The HTTP transport: POST the query as JSON to the partner's endpoint over mutual TLS, with a timeout.
import { type Adapter, type AdapterAnswer, AdapterProtocolError, parseAnswer } from './contract.ts';

export interface HttpAdapterOptions {
  /** The partner endpoint, e.g. https://ggz.example/schakel/v1/query. */
  readonly url: string;
  readonly categories: readonly string[];
  /** A fetch that presents the broker's client certificate (injected; built in main.ts with undici). */
  readonly fetch: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * An adapter for a partner that exposes the canonical query over HTTPS.
 *
 * @example createHttpAdapter({ url, categories: ['ggz.bekend'], fetch: mtlsFetch })
 */
export function createHttpAdapter(options: HttpAdapterOptions): Adapter {
  return {
    categories: options.categories,
    async fetch(query, signal): Promise<AdapterAnswer> {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 5_000);
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': query.requestId },
        body: JSON.stringify({ category: query.category, subject: { bsn: query.bsn } }),
        signal: AbortSignal.any([signal, timeout]),
      });
      if (response.status === 404) return { status: 'not_found' };
      if (!response.ok) throw new AdapterProtocolError(`source answered HTTP ${response.status}`);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new AdapterProtocolError('source answered with a body that is not JSON');
      }
      return parseAnswer(body);
    },
  };
}
