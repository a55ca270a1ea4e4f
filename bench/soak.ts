// Soak: steady load on schakel serve for 10 minutes, printing the broker's RSS and event-loop delay over time and the RSS growth after warm-up (figures, no assertions).
// Run: npm run bench -- soak   (SCHAKEL_BENCH_SOAK_S=600, SCHAKEL_BENCH_SOAK_CONNECTIONS=16, SCHAKEL_BENCH_SOAK_INTERVAL_S=30)
import { runLoad } from './e2e/load.ts';
import { classifySchakel, mixClients, mixRequests } from './e2e/mix.ts';
import { memory } from './e2e/proc-stats.ts';
import { benchDatabase, startBenchBroker, walBeyondWarmUp } from './e2e/setup.ts';

const DURATION_S = Number(process.env.SCHAKEL_BENCH_SOAK_S ?? 600);
const CONNECTIONS = Number(process.env.SCHAKEL_BENCH_SOAK_CONNECTIONS ?? 16);
const INTERVAL_S = Number(process.env.SCHAKEL_BENCH_SOAK_INTERVAL_S ?? 30);
/** The first tenth of the run (at least one interval) is warm-up: JIT, pools, caches, heap sizing. */
const WARMUP_S = Math.max(INTERVAL_S, DURATION_S / 10);

/** Reads one gauge (sum over its labels) from the broker's Prometheus text. */
function gauge(text: string, name: string): number {
  let sum = Number.NaN;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    sum = Number.isNaN(sum) ? value : sum + value;
  }
  return sum;
}

const database = await benchDatabase();
const walAtStart = await database.walBytes();
const broker = await startBenchBroker(database, { caseCount: 16 }).catch(async (error: unknown) => {
  await database.drop();
  throw error;
});
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(
  `soak: ${DURATION_S} s at ${CONNECTIONS} connections, a sample every ${INTERVAL_S} s, warm-up ${WARMUP_S} s; ${database.description}`,
);
console.log('  time    req/s   RSS MB   heap MB   event-loop delay p99 / max ms   errors');
const samples: { at: number; rss: number }[] = [];
let lastRequests = 0;
let lastAt = 0;
const started = performance.now();
const scrape = async () => {
  const text = await (await fetch(`http://127.0.0.1:${broker.schakel.opsPort}/metrics`)).text();
  const at = (performance.now() - started) / 1000;
  const requests = gauge(text, 'schakel_http_requests_total');
  const errors = text
    .split('\n')
    .filter((l) => l.startsWith('schakel_http_requests_total{') && /status="[45]/.test(l))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  const rss = memory(broker.schakel.pid).rss;
  samples.push({ at, rss });
  console.log(
    `  ${at.toFixed(0).padStart(4)} s ${(samples.length === 1 ? '-' : ((requests - lastRequests) / (at - lastAt)).toFixed(0)).padStart(8)} ${mb(rss).padStart(8)} ${mb(
      gauge(text, 'schakel_nodejs_heap_size_used_bytes'),
    ).padStart(
      9,
    )}   ${(gauge(text, 'schakel_nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(1).padStart(12)} / ${(
      gauge(text, 'schakel_nodejs_eventloop_lag_max_seconds') * 1000
    )
      .toFixed(1)
      .padEnd(14)} ${errors}`,
  );
  lastRequests = requests;
  lastAt = at;
};

try {
  await scrape();
  const timer = setInterval(
    () => void scrape().catch((error: unknown) => console.error(error)),
    INTERVAL_S * 1000,
  );
  const result = await runLoad({
    origin: broker.origin,
    clients: mixClients(broker.schakel.pkiDir),
    connections: CONNECTIONS,
    durationMs: DURATION_S * 1000,
    warmupMs: 0,
    next: mixRequests(Object.keys(broker.cases), broker.tokens),
    classify: classifySchakel,
  });
  clearInterval(timer);
  await scrape();
  const afterWarmup = samples.find((s) => s.at >= WARMUP_S) ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const peak = memory(broker.schakel.pid).peak;
  const tally = Object.entries(result.tally)
    .map(([label, n]) => `${label} ${n}`)
    .join('; ');
  console.log(
    `\n  ${result.requests} requests (${tally}), ${result.throughput.toFixed(0)} req/s, p99 ${result.p99Ms.toFixed(1)} ms, errors ${result.errors}`,
  );
  console.log(
    `  RSS after warm-up (${afterWarmup.at.toFixed(0)} s) ${mb(afterWarmup.rss)} MB, at the end ${mb(last.rss)} MB: ` +
      `growth ${(((last.rss - afterWarmup.rss) / afterWarmup.rss) * 100).toFixed(1)}% (target <= 10%); peak RSS ${mb(peak)} MB`,
  );
  // Expected here: ten minutes write more WAL than is warmed, until the first checkpoint recycles.
  const walNote = await walBeyondWarmUp(database, walAtStart);
  if (walNote !== undefined) console.log(walNote);
} finally {
  await broker.close();
  await database.drop();
}
