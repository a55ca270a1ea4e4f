// The HTTP transport for native documents: POST {document, subject} to the partner's export endpoint over mutual TLS.
import { AdapterProtocolError } from './contract.ts';
import { exchange, parseJson, type ExchangeOptions } from './http-exchange.ts';
import type { NativeTransport } from './native.ts';

export interface NativeHttpOptions extends ExchangeOptions {
  /** The partner's export endpoint, e.g. https://politie.example/schakel/v1/document. */
  readonly url: string;
}

/**
 * A native transport over HTTPS: the partner answers `{"status":"found","document":{...}}` in its
 * own format (the partner adapter checks and maps it) or `{"status":"not_found"}` (a `404` counts
 * only with that body). A read, so retried like the canonical query.
 *
 * @throws (get) AdapterTimeoutError, AdapterUnavailableError, AdapterProtocolError
 * @example createPolitieAdapter({ transport: createNativeHttpTransport({ url, fetch: mtlsFetch }) })
 */
export function createNativeHttpTransport(options: NativeHttpOptions): NativeTransport {
  return {
    async get(query, signal) {
      const { status, text } = await exchange(
        options,
        {
          url: options.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': query.requestId },
          body: JSON.stringify({ document: query.document, subject: { bsn: query.bsn } }),
          idempotent: true,
        },
        signal,
      );
      if (status !== 200 && status !== 404) throw new AdapterProtocolError(`source answered HTTP ${status}`);
      const body = parseJson(text) as { status?: unknown; document?: unknown } | null;
      if (body?.status === 'not_found') return undefined;
      if (
        status === 200 &&
        body?.status === 'found' &&
        typeof body.document === 'object' &&
        body.document !== null
      ) {
        return body.document;
      }
      throw new AdapterProtocolError('source answer has no valid status/document');
    },
  };
}
