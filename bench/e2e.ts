// End-to-end load benchmark: schakel on PostgreSQL against a bare Hono endpoint and nginx + OPA, same client, same mTLS (prints figures, asserts nothing).
// Run: npm exec -- node bench/e2e.ts   (settings: bench/README.md)
import os from 'node:os';
import path from 'node:path';
import { missingTools, startAltStack } from './e2e/alt-stack.ts';
import { startNodeServer } from './e2e/children.ts';
import { runLoad, type LoadResult } from './e2e/load.ts';
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
import type { LoadRequest } from './e2e/load.ts';
import { cpuWindow, memory } from './e2e/proc-stats.ts';
import { ALT_SUBJECT_PSEUDONYM, benchDatabase, startBenchBroker } from './e2e/setup.ts';

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

interface Row {
  readonly target: string;
  readonly connections: number;
  readonly result: LoadResult;
  readonly cpu: string;
  /** CPU seconds per measured process over the whole load (warm-up included). */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  readonly peakRss: string;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Runs one load and measures the given processes' CPU (cores busy) over it. */
async function measure(
  target: string,
  connections: number,
  processes: { name: string; pid: number; children?: boolean }[],
  memoryPid: number,
  load: () => Promise<LoadResult>,
): Promise<Row> {
  // The client shares the machine: its CPU says how much was left for the target.
  const windows = [...processes, { name: 'client', pid: process.pid }].map((p) => ({
    name: p.name,
    window: cpuWindow(p.pid, { children: p.children ?? false }),
  }));
  const result = await load();
  const used = windows.map((w) => ({ name: w.name, ...w.window.stop() }));
  const cpu = used.map((w) => `${w.name} ${fixed(w.cores, 2)}`).join(', ');
  const cpuSeconds = Object.fromEntries(used.map((w) => [w.name, w.seconds]));
  return { target, connections, result, cpu, cpuSeconds, peakRss: mb(memory(memoryPid).peak) };
}

function printRow(row: Row): void {
  const r = row.result;
  console.log(
    `  ${row.target.padEnd(12)} ${String(row.connections).padStart(4)} conns  ${fixed(r.throughput, 0).padStart(7)} req/s  ` +
      `p50 ${fixed(r.p50Ms).padStart(6)} ms  p95 ${fixed(r.p95Ms).padStart(6)} ms  p99 ${fixed(r.p99Ms).padStart(6)} ms  ` +
      `errors ${r.errors}/${r.requests}  CPU cores: ${row.cpu}  peak RSS ${row.peakRss}`,
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

/** What one schakel load cost per answered request (warm-up included, as the CPU window is). */
interface SchakelCosts {
  readonly brokerMs: number;
  readonly postgresMs: number | undefined;
  readonly statements: number | undefined;
  readonly commits: number;
  readonly answered: number;
  /** WAL bytes written per answered request (the server's, so autovacuum's too). */
  readonly walBytes: number;
  /** Autovacuum and autoanalyze runs that finished during the load (their CPU is PostgreSQL's). */
  readonly maintenanceRuns: number;
  /** The statements run most often in the load, per answered request, with their mean execution time. */
  readonly top: readonly {
    readonly query: string;
    readonly perRequest: number;
    readonly meanMs: number;
    /** WAL the statement wrote per answered request. */
    readonly walPerRequest: number;
  }[];
}

/** Drives the broker and measures it: the load's figures and its costs per answered request. */
async function measureSchakel(
  label: string,
  connections: number,
  durationMs: number,
  next: (i: number) => LoadRequest,
  classify: (status: number, body: string) => string,
): Promise<{ row: Row; costs: SchakelCosts }> {
  const maintenanceBefore = await database.maintenanceRuns();
  const walBefore = await database.walBytes();
  const commitsBefore = await database.commits();
  const statementsBefore = await database.statements();
  const topBefore = new Map((await database.topStatements(1000)).map((t) => [t.query, t]));
  const row = await measure(
    label,
    connections,
    [
      { name: 'broker', pid: broker.schakel.pid },
      ...(database.pid === undefined ? [] : [{ name: 'postgres', pid: database.pid, children: true }]),
    ],
    broker.schakel.pid,
    () =>
      runLoad({
        origin: broker.origin,
        clients: mixClients(broker.schakel.pkiDir),
        connections,
        durationMs,
        warmupMs: WARMUP_MS,
        next,
        classify,
      }),
  );
  // The statistics collector reports with a delay of up to a second.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const commits = (await database.commits()) - commitsBefore;
  const statementsAfter = await database.statements();
  const answered = row.result.answered;
  const top = (await database.topStatements(1000))
    .map((t) => ({
      query: t.query,
      calls: t.calls - (topBefore.get(t.query)?.calls ?? 0),
      execMs: t.execMs - (topBefore.get(t.query)?.execMs ?? 0),
      walBytes: t.walBytes - (topBefore.get(t.query)?.walBytes ?? 0),
    }))
    .filter((t) => t.calls > 0)
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 12)
    .map((t) => ({
      query: t.query,
      perRequest: t.calls / answered,
      meanMs: t.execMs / t.calls,
      walPerRequest: t.walBytes / answered,
    }));
  const costs: SchakelCosts = {
    brokerMs: ((row.cpuSeconds.broker ?? 0) * 1000) / answered,
    postgresMs:
      row.cpuSeconds.postgres === undefined ? undefined : (row.cpuSeconds.postgres * 1000) / answered,
    statements:
      statementsBefore === undefined || statementsAfter === undefined
        ? undefined
        : (statementsAfter - statementsBefore) / answered,
    commits: commits / answered,
    answered,
    walBytes: ((await database.walBytes()) - walBefore) / answered,
    maintenanceRuns: (await database.maintenanceRuns()) - maintenanceBefore,
    top,
  };
  return { row, costs };
}

const missing = missingTools();
const database = await benchDatabase();
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
      'schakel',
      connections,
      DURATION_MS,
      mixRequests(caseIds, broker.tokens),
      classifySchakel,
    );
    rows.push(row);
    printRow(row);
    // Per answered request, warm-up included (the CPU window spans it too): the figures to compare
    // between versions on a loaded machine, where throughput and latency mean little.
    console.log(
      `  ${''.padEnd(12)} per request: broker CPU ${fixed(costs.brokerMs, 2)} ms` +
        `, PostgreSQL CPU ${costs.postgresMs === undefined ? '-' : fixed(costs.postgresMs, 2)} ms` +
        `, ${costs.statements === undefined ? '-' : fixed(costs.statements)} statements (round trips, BEGIN and COMMIT included)` +
        `, ${fixed(costs.commits)} commits (group commit of the log shares them)` +
        `, ${fixed(costs.walBytes / 1000)} kB of WAL; ${costs.answered} answered`,
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
        `   broker CPU   PostgreSQL CPU   statements        WAL   autovacuum   errors`,
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
      const { row, costs } = await measureSchakel(load.name, connections, KINDS_MS, load.next, load.classify);
      const r = row.result;
      console.log(
        `  ${load.name.padEnd(22)} ${fixed(r.throughput, 0).padStart(7)} ${(bareThroughput === undefined ? '-' : `${Math.round((r.throughput / bareThroughput) * 100)}%`).padStart(8)}` +
          ` ${`${fixed(r.p50Ms)} ms`.padStart(8)} ${`${fixed(r.p99Ms)} ms`.padStart(8)}` +
          `   ${`${fixed(costs.brokerMs, 2)} ms`.padStart(10)}   ${`${costs.postgresMs === undefined ? '-' : fixed(costs.postgresMs, 2)} ms`.padStart(14)}` +
          `   ${(costs.statements === undefined ? '-' : fixed(costs.statements, 2)).padStart(10)}` +
          `   ${`${fixed(costs.walBytes / 1000)} kB`.padStart(8)}   ${String(costs.maintenanceRuns).padStart(10)}   ${r.errors}/${r.requests}`,
      );
    }
  }
} finally {
  await broker.close();
  await database.drop();
}

console.log(
  '\nratios (same connections; targets: schakel >= 30% of bare, >= nginx + OPA, p99 < 25 ms at 32):',
);
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
