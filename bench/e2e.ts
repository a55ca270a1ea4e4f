// End-to-end load benchmark: schakel on PostgreSQL against a bare Hono endpoint and nginx + OPA, same client, same mTLS, then schakel per kind of request (prints figures, asserts nothing).
// Run: npm exec -- node bench/e2e.ts   (settings: bench/README.md)
import os from 'node:os';
import path from 'node:path';
import { missingTools, startAltStack } from './e2e/alt-stack.ts';
import { startNodeServer } from './e2e/children.ts';
import { runLoad } from './e2e/load.ts';
import { fixed, measure, measureSchakel, percent, type Row } from './e2e/measure.ts';
import {
  classifyAltStack,
  classifyBare,
  classifySchakel,
  classifyWhoami,
  MIX,
  mixClients,
  mixRequests,
  whoamiRequests,
} from './e2e/mix.ts';
import { ALT_SUBJECT_PSEUDONYM, benchDatabase, startBenchBroker, walBeyondWarmUp } from './e2e/setup.ts';

const DURATION_MS = Number(process.env.SCHAKEL_BENCH_DURATION_S ?? 20) * 1000;
const WARMUP_MS = Number(process.env.SCHAKEL_BENCH_WARMUP_S ?? 3) * 1000;
const CONNECTIONS = (process.env.SCHAKEL_BENCH_CONNECTIONS ?? '32').split(',').map(Number);
const TARGETS = new Set(
  (process.env.SCHAKEL_BENCH_TARGETS ?? 'bare,nginx-opa,schakel,schakel-kinds').split(','),
);
const KINDS_MS = Number(process.env.SCHAKEL_BENCH_KINDS_S ?? 10) * 1000;
const CASES = 16;
const DEMO_PARTNERS = [
  { id: 'demo-politie', kind: 'politie', national: true },
  { id: 'demo-dkdb', kind: 'dkdb', national: false },
  { id: 'demo-ggz', kind: 'ggz', national: false },
  { id: 'demo-om', kind: 'om', national: false },
  { id: 'demo-kmar', kind: 'kmar', national: false },
  { id: 'demo-aivd', kind: 'aivd', national: false },
  { id: 'demo-veiligheidshuis', kind: 'veiligheidshuis', national: false },
];

function printRow(row: Row): void {
  const r = row.result;
  console.log(
    `  ${row.target.padEnd(12)} ${String(row.connections).padStart(4)} conns  ${fixed(r.throughput, 0).padStart(7)} req/s  ` +
      `p50 ${fixed(r.p50Ms).padStart(6)} ms  p95 ${fixed(r.p95Ms).padStart(6)} ms  p99 ${fixed(r.p99Ms).padStart(6)} ms  ` +
      `errors ${r.errors}/${r.requests}  CPU cores: ${row.cpu}${row.machine === undefined ? '' : ` (machine idle ${percent(row.machine.idle)}, steal ${percent(row.machine.steal)})`}  peak RSS ${row.peakRss}`,
  );
  const tally = Object.entries(r.tally)
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => {
      const latency = r.byLabel[label];
      return latency === undefined
        ? `${label} ${n}`
        : `${label} ${n} (p50 ${fixed(latency.p50Ms)}, p99 ${fixed(latency.p99Ms)} ms)`;
    })
    .join('; ');
  console.log(`  ${''.padEnd(12)} answers: ${tally}`);
}

/** Node flags for the broker: a CPU profile on request, plus any given as-is (e.g. `--trace-gc`). */
function brokerNodeFlags(): string[] {
  const profile = process.env.SCHAKEL_BENCH_CPU_PROF;
  const extra = process.env.SCHAKEL_BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? [];
  return [...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]), ...extra];
}

const missing = missingTools();
const database = await benchDatabase();
const walAtStart = await database.walBytes();
console.log(
  `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, Node ${process.version}, ${database.description}`,
);
console.log(
  `load: closed loops over keep-alive mTLS connections, ${DURATION_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up, ` +
    `client in this process; mix: 50% non-medical permits, 20% GGZ to review, 20% denials, 10% permit + review`,
);
// Nothing may outlive the run: a failed start drops the database (and stops our cluster) too.
const broker = await startBenchBroker(database, {
  caseCount: CASES,
  nodeFlags: brokerNodeFlags(),
}).catch(async (error: unknown) => {
  await database.drop();
  throw error;
});
const rows: Row[] = [];
try {
  const clients = mixClients(broker.schakel.pkiDir);
  const caseIds = Object.keys(broker.cases);
  const bare = await startNodeServer(
    path.join(import.meta.dirname, 'e2e/bare-server.ts'),
    [broker.schakel.pkiDir],
    path.join(broker.workDir, 'bare.log'),
  );
  try {
    for (const connections of TARGETS.has('bare') ? CONNECTIONS : []) {
      const row = await measure('bare Hono', connections, [{ name: 'server', pid: bare.pid }], bare.pid, () =>
        runLoad({
          origin: `https://127.0.0.1:${bare.port}`,
          clients,
          connections,
          durationMs: DURATION_MS,
          warmupMs: WARMUP_MS,
          next: mixRequests(caseIds, broker.tokens),
          classify: classifyBare,
        }),
      );
      rows.push(row);
      printRow(row);
    }
  } finally {
    await bare.stop();
  }

  if (!TARGETS.has('nginx-opa')) {
    // not asked for
  } else if (missing.length > 0) {
    console.log(`  nginx + OPA  skipped: missing ${missing.join('; ')}`);
  } else {
    const alt = await startAltStack({
      workDir: broker.workDir,
      pkiDir: broker.schakel.pkiDir,
      partners: DEMO_PARTNERS,
      cases: broker.cases,
      subjectPseudonym: ALT_SUBJECT_PSEUDONYM,
    });
    try {
      for (const connections of CONNECTIONS) {
        const row = await measure(
          'nginx + OPA',
          connections,
          [
            { name: 'nginx', pid: alt.pids.nginx, children: true },
            { name: 'shim', pid: alt.pids.shim },
            { name: 'opa', pid: alt.pids.opa },
          ],
          alt.pids.opa,
          () =>
            runLoad({
              origin: `https://127.0.0.1:${alt.port}`,
              clients,
              connections,
              durationMs: DURATION_MS,
              warmupMs: WARMUP_MS,
              next: mixRequests(caseIds, broker.tokens, { factsInHeaders: true }),
              classify: classifyAltStack,
            }),
        );
        rows.push(row);
        printRow(row);
      }
    } finally {
      await alt.stop();
    }
  }

  for (const connections of TARGETS.has('schakel') ? CONNECTIONS : []) {
    const { row, costs } = await measureSchakel(
      { database, broker, clients, warmupMs: WARMUP_MS },
      {
        label: 'schakel',
        connections,
        durationMs: DURATION_MS,
        next: mixRequests(caseIds, broker.tokens),
        classify: classifySchakel,
        commits: true,
      },
    );
    rows.push(row);
    printRow(row);
    // Per answered request, warm-up included (the CPU window spans it too): the figures to compare
    // between versions on a loaded machine, where throughput and latency mean little.
    console.log(
      `  ${''.padEnd(12)} per request: broker CPU ${fixed(costs.brokerMs, 2)} ms` +
        `, PostgreSQL CPU ${costs.postgresMs === undefined ? '-' : fixed(costs.postgresMs, 2)} ms` +
        `, ${costs.statements === undefined ? '-' : fixed(costs.statements)} statements (round trips, BEGIN and COMMIT included)` +
        `, ${fixed(costs.commits ?? Number.NaN)} commits (group commit of the log shares them)` +
        `, ${fixed((costs.walBytes ?? Number.NaN) / 1000)} kB of WAL; ${costs.answered} answered`,
    );
    for (const t of costs.top) {
      console.log(
        `  ${''.padEnd(12)}   ${fixed(t.perRequest, 2).padStart(5)} x ${fixed(t.meanMs, 2).padStart(6)} ms` +
          ` ${`${fixed(t.walPerRequest / 1000)} kB`.padStart(8)} WAL/request  ${t.query.replace(/\s+/g, ' ').slice(0, 90)}`,
      );
    }
  }

  if (TARGETS.has('schakel-kinds')) {
    // Each kind of request alone, and the broker without a decision: where the cost per request goes.
    const connections = CONNECTIONS[0]!;
    const bareThroughput = rows.find((r) => r.target === 'bare Hono' && r.connections === connections)?.result
      .throughput;
    console.log(
      `\nschakel per kind of request (each alone, ${connections} conns, ${KINDS_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up):`,
    );
    console.log(
      `  ${'kind'.padEnd(22)} ${'req/s'.padStart(7)} ${'of bare'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}` +
        `   broker CPU   PostgreSQL CPU   statements        WAL   autovacuum   machine idle   errors`,
    );
    const loads = [
      { name: 'whoami (no decision)', next: whoamiRequests(broker.tokens), classify: classifyWhoami },
      ...MIX.map((kind) => ({
        name: kind.name,
        next: mixRequests(caseIds, broker.tokens, { kinds: [kind] }),
        classify: classifySchakel,
      })),
    ];
    for (const load of loads) {
      // Vacuumed and analysed outside the window, so autovacuum does not clean up after the loads
      // before inside this one (the column shows any that still ran).
      await database.vacuum();
      const { row, costs } = await measureSchakel(
        { database, broker, clients, warmupMs: WARMUP_MS },
        { label: load.name, connections, durationMs: KINDS_MS, next: load.next, classify: load.classify },
      );
      const r = row.result;
      console.log(
        `  ${load.name.padEnd(22)} ${fixed(r.throughput, 0).padStart(7)} ${(bareThroughput === undefined ? '-' : `${Math.round((r.throughput / bareThroughput) * 100)}%`).padStart(8)}` +
          ` ${`${fixed(r.p50Ms)} ms`.padStart(8)} ${`${fixed(r.p99Ms)} ms`.padStart(8)}` +
          `   ${`${fixed(costs.brokerMs, 2)} ms`.padStart(10)}   ${`${costs.postgresMs === undefined ? '-' : fixed(costs.postgresMs, 2)} ms`.padStart(14)}` +
          `   ${(costs.statements === undefined ? '-' : fixed(costs.statements, 2)).padStart(10)}` +
          `   ${`${fixed((costs.walBytes ?? Number.NaN) / 1000)} kB`.padStart(8)}   ${String(costs.maintenanceRuns).padStart(10)}   ${percent(row.machine?.idle).padStart(12)}   ${r.errors}/${r.requests}`,
      );
    }
  }
  const walNote = await walBeyondWarmUp(database, walAtStart);
  if (walNote !== undefined) console.log(walNote);
} finally {
  await broker.close();
  await database.drop();
}

if (rows.some((r) => r.target === 'schakel')) {
  console.log(
    '\nratios (same connections; targets: schakel >= 30% of bare, >= nginx + OPA, p99 < 25 ms at 32):',
  );
}
for (const connections of CONNECTIONS) {
  const find = (target: string) =>
    rows.find((r) => r.target === target && r.connections === connections)?.result;
  const schakel = find('schakel');
  const bare = find('bare Hono');
  const alt = find('nginx + OPA');
  if (schakel === undefined) continue;
  const pct = (a: number, b: number | undefined) => (b === undefined ? '-' : `${Math.round((a / b) * 100)}%`);
  console.log(
    `  ${connections} conns: schakel/bare ${pct(schakel.throughput, bare?.throughput)}` +
      `, schakel/nginx+OPA ${pct(schakel.throughput, alt?.throughput)}` +
      `, schakel p99 ${fixed(schakel.p99Ms)} ms`,
  );
}
