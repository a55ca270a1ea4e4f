// The load generator: keep-alive mutual-TLS connections (undici Pool), a closed loop per connection, latency percentiles.
import { Pool } from 'undici';

/** What the client presents and trusts: the same for every target, so only the server side differs. */
export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly servername: string;
}

/** One request to send. */
export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Which client certificate to use (an index into LoadOptions.clients); default 0. */
  readonly client?: number;
}

export interface LoadOptions {
  readonly origin: string;
  /** One TLS identity per partner the mix speaks as (a keep-alive pool each). */
  readonly clients: readonly ClientTls[];
  /** Requests in flight: closed loops, each waiting for its answer before sending the next (no pipelining). */
  readonly connections: number;
  readonly durationMs: number;
  /** Sent first and not counted (connection set-up, JIT, caches). */
  readonly warmupMs: number;
  /** The i-th request of the mix. */
  readonly next: (i: number) => LoadRequest;
  /** Labels an answer for the tally (e.g. its outcomes); a label starting with "error" counts as an error. */
  readonly classify: (status: number, body: string) => string;
}

export interface LoadResult {
  readonly requests: number;
  /** Every answered request, warm-up and the last in-flight ones included (for per-request costs). */
  readonly answered: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly tally: Readonly<Record<string, number>>;
  /** p50 and p99 per tally label, in ms. */
  readonly byLabel: Readonly<Record<string, { readonly p50Ms: number; readonly p99Ms: number }>>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * Drives the target for warm-up plus duration with `connections` closed loops and reports what the
 * client saw after the warm-up.
 *
 * @example const result = await runLoad({ origin, clients, connections: 32, durationMs: 20_000, warmupMs: 3_000, next, classify });
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  // Each pool may open as many sockets as there are loops; it opens only as many as are busy at once.
  const pools = options.clients.map(
    (tls) =>
      new Pool(options.origin, {
        connections: options.connections,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        connect: { ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.servername },
      }),
  );
  const latencies: number[] = [];
  const latenciesByLabel: Record<string, number[]> = {};
  const tally: Record<string, number> = {};
  let counting = false;
  let stop = false;
  let sent = 0;
  let errors = 0;
  let answered = 0;

  async function loop(): Promise<void> {
    while (!stop) {
      const request = options.next(sent++);
      const started = performance.now();
      let label: string;
      try {
        const res = await pools[request.client ?? 0]!.request({
          method: request.method,
          path: request.path,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        const text = await res.body.text();
        label = options.classify(res.statusCode, text);
      } catch (error) {
        label = `error: ${(error as NodeJS.ErrnoException).code ?? (error as Error).name}`;
      }
      answered++;
      if (!counting) continue;
      const latency = performance.now() - started;
      latencies.push(latency);
      (latenciesByLabel[label] ??= []).push(latency);
      tally[label] = (tally[label] ?? 0) + 1;
      if (label.startsWith('error')) errors++;
    }
  }

  const loops = Array.from({ length: options.connections }, () => loop());
  await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(loops);
  await Promise.all(pools.map((pool) => pool.close()));

  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    answered,
    seconds,
    throughput: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    errors,
    tally,
    byLabel: Object.fromEntries(
      Object.entries(latenciesByLabel).map(([label, values]) => {
        const ofLabel = Float64Array.from(values).sort();
        return [label, { p50Ms: percentile(ofLabel, 0.5), p99Ms: percentile(ofLabel, 0.99) }];
      }),
    ),
  };
}
