// One HTTP exchange with a partner source: deadline, body cap, no redirects, and bounded retries for idempotent calls.
import { setTimeout as delay } from 'node:timers/promises';
import { AdapterProtocolError, AdapterTimeoutError, AdapterUnavailableError } from './contract.ts';

/** How hard one exchange tries. */
export interface ExchangeOptions {
  /** A fetch that presents the broker's client certificate (injected). */
  readonly fetch: typeof fetch;
  /** Time for the whole exchange, every attempt and back-off included (default 5 s). */
  readonly timeoutMs?: number;
  /** The largest answer body read (default 1 MiB); a larger one is an invalid answer. */
  readonly maxBodyBytes?: number;
  /** Extra attempts after a transient failure, for idempotent calls only (default 2, at most 5). */
  readonly retries?: number;
  /** The first back-off in ms, doubled per attempt with jitter (default 100). */
  readonly backoffMs?: number;
}

/** One request: `idempotent` says whether repeating it is harmless (GET, or a read declared safe by the API). */
export interface ExchangeRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly idempotent: boolean;
}

/** A complete answer: status and the body as UTF-8 text (at most `maxBodyBytes`). */
export interface ExchangeResult {
  readonly status: number;
  readonly text: string;
}

/** HTTP statuses that say the source is failing or refusing us rather than answering. */
const UNAVAILABLE = new Set([401, 403, 408, 429]);
/** Failures worth another attempt: the source may answer the same question a moment later. */
const TRANSIENT = new Set([502, 503, 504]);

/**
 * Sends one request and reads the whole answer. Statuses of 500 and above and 401/403/408/429
 * reject as unavailable; every other status comes back for the caller to judge. An idempotent
 * request that failed on the connection or with 502/503/504 is tried again after a back-off, as
 * long as the deadline leaves room for it; 429 is never retried (the source asked us to stop).
 *
 * @throws AdapterTimeoutError (SOURCE_TIMEOUT), AdapterUnavailableError (SOURCE_UNAVAILABLE) or
 *   AdapterProtocolError (SOURCE_INVALID_ANSWER: a redirect, a body over the cap, not UTF-8).
 * @example await exchange({ fetch: mtlsFetch, retries: 2 }, { url, method: 'GET', headers, idempotent: true }, signal)
 */
export async function exchange(
  options: ExchangeOptions,
  request: ExchangeRequest,
  signal: AbortSignal,
): Promise<ExchangeResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deadline = performance.now() + timeoutMs;
  const combined = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const retries = request.idempotent ? Math.min(Math.max(options.retries ?? 2, 0), 5) : 0;
  const backoffMs = options.backoffMs ?? 100;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await attemptOnce(options, request, combined);
    } catch (error) {
      const transient = error instanceof TransientError;
      const failure = transient ? error.failure : error;
      if (!transient || attempt >= retries) throw failure;
      // Full jitter: replicas of the broker do not retry in step against a recovering source.
      const wait = Math.round(backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
      if (performance.now() + wait >= deadline) throw failure;
      try {
        await delay(wait, undefined, { signal: combined });
      } catch {
        throw new AdapterTimeoutError('source did not answer in time', { cause: failure });
      }
    }
  }
}

/** A failure that another attempt may cure; carries the error to report if none does. */
class TransientError extends Error {
  readonly failure: Error;
  constructor(failure: Error) {
    super(failure.message);
    this.failure = failure;
  }
}

async function attemptOnce(
  options: ExchangeOptions,
  request: ExchangeRequest,
  combined: AbortSignal,
): Promise<ExchangeResult> {
  const failed = (error: unknown, what: string): Error => {
    if (combined.aborted) return new AdapterTimeoutError('source did not answer in time', { cause: error });
    const unavailable = new AdapterUnavailableError(`source ${what} failed`, { cause: error });
    // A certificate refused now is refused in 100 ms too: only network trouble is worth another try.
    return isCertificateFailure(error) ? unavailable : new TransientError(unavailable);
  };
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      // NOTE: never follow a redirect: it would send the BSN to wherever the source points.
      redirect: 'manual',
      signal: combined,
    });
  } catch (error) {
    throw failed(error, 'connection');
  }
  if (response.status >= 500 || UNAVAILABLE.has(response.status)) {
    await response.body?.cancel().catch(() => undefined);
    const error = new AdapterUnavailableError(`source answered HTTP ${response.status}`);
    throw TRANSIENT.has(response.status) ? new TransientError(error) : error;
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdapterProtocolError(`source answered HTTP ${response.status} (redirects are not followed)`);
  }
  try {
    return { status: response.status, text: await readLimited(response, options.maxBodyBytes ?? 1 << 20) };
  } catch (error) {
    if (error instanceof AdapterProtocolError) throw error;
    // A body cut off half-way is not retried: the source may have done its work.
    const failure = failed(error, 'body');
    throw failure instanceof TransientError ? failure.failure : failure;
  }
}

/** TLS verification failures (Node/OpenSSL codes), anywhere in the cause chain. */
function isCertificateFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL/.test(code))
      return true;
  }
  return false;
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

/** Parses a JSON body. @throws AdapterProtocolError when it is not JSON */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdapterProtocolError('source answered with a body that is not JSON');
  }
}
