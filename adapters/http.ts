// The HTTP transport: POST the query as JSON to the partner's endpoint over mutual TLS, with a timeout.
import {
  type Adapter,
  type AdapterAnswer,
  AdapterProtocolError,
  AdapterTimeoutError,
  AdapterUnavailableError,
  parseAnswer,
} from './contract.ts';

export interface HttpAdapterOptions {
  /** The partner endpoint, e.g. https://ggz.example/schakel/v1/query. */
  readonly url: string;
  readonly categories: readonly string[];
  /** A fetch that presents the broker's client certificate (injected; built in main.ts with undici). */
  readonly fetch: typeof fetch;
  /** Time for the whole exchange, body included (default 5 s). */
  readonly timeoutMs?: number;
  /** The largest answer body read (default 1 MiB); a larger one is an invalid answer. */
  readonly maxBodyBytes?: number;
}

/**
 * An adapter for a partner that exposes the canonical query over HTTPS. The answer is `200` with
 * `{"status":"found","record":{...}}` or `{"status":"not_found"}` (a `404` counts only with that
 * body, so a misrouted URL is never read as "this person is not known here").
 *
 * @throws AdapterTimeoutError (SOURCE_TIMEOUT), AdapterUnavailableError (SOURCE_UNAVAILABLE: no
 *   connection, TLS failure, 5xx, 401/403/429) or AdapterProtocolError (SOURCE_INVALID_ANSWER).
 * @example createHttpAdapter({ url, categories: ['ggz.bekend'], fetch: mtlsFetch })
 */
export function createHttpAdapter(options: HttpAdapterOptions): Adapter {
  const maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
  return {
    categories: options.categories,
    async fetch(query, signal): Promise<AdapterAnswer> {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 5_000);
      const combined = AbortSignal.any([signal, timeout]);
      const failed = (error: unknown, what: string): Error =>
        combined.aborted
          ? new AdapterTimeoutError('source did not answer in time', { cause: error })
          : new AdapterUnavailableError(`source ${what} failed`, { cause: error });
      let response: Response;
      try {
        response = await options.fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': query.requestId },
          body: JSON.stringify({ category: query.category, subject: { bsn: query.bsn } }),
          // NOTE: never follow a redirect: it would send the BSN to wherever the source points.
          redirect: 'manual',
          signal: combined,
        });
      } catch (error) {
        throw failed(error, 'connection');
      }
      const unavailable = response.status >= 500 || [401, 403, 408, 429].includes(response.status);
      if (unavailable || (!response.ok && response.status !== 404)) {
        await response.body?.cancel().catch(() => undefined);
        throw unavailable
          ? new AdapterUnavailableError(`source answered HTTP ${response.status}`)
          : new AdapterProtocolError(`source answered HTTP ${response.status}`);
      }
      let text: string;
      try {
        text = await readLimited(response, maxBodyBytes);
      } catch (error) {
        if (error instanceof AdapterProtocolError) throw error;
        throw failed(error, 'body');
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AdapterProtocolError('source answered with a body that is not JSON');
      }
      const answer = parseAnswer(body);
      if (response.status === 404 && answer.status !== 'not_found') {
        throw new AdapterProtocolError('source answered HTTP 404 without a not_found body');
      }
      return answer;
    },
  };
}

/** Reads a body as UTF-8 up to `max` bytes. @throws AdapterProtocolError when larger or not UTF-8 */
async function readLimited(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdapterProtocolError(`source answer is larger than ${max} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new AdapterProtocolError(`source answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AdapterProtocolError('source answer is not UTF-8');
  }
}
