// Measuring one load: the client's figures, the CPU of the processes behind the target, and for schakel its costs per request in PostgreSQL.
import { runLoad, type ClientTls, type LoadRequest, type LoadResult } from './load.ts';
import { cpuWindow, machineWindow, memory } from './proc-stats.ts';
import type { BenchBroker, BenchDatabase } from './setup.ts';

/** One measured load of one target. */
export interface Row {
  readonly target: string;
  readonly connections: number;
  readonly result: LoadResult;
  /** Cores busy per measured process, printed as `name cores, ...`. */
  readonly cpu: string;
  /** CPU seconds per measured process over the whole load (warm-up included). */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  readonly peakRss: string;
  /** The machine's idle and stolen CPU over the load, as shares (undefined without /proc/stat). */
  readonly machine: { readonly idle: number; readonly steal: number } | undefined;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A number with `digits` decimals, or '-' when there is none. */
export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A share as a whole percentage, or '-' when there is none. */
export const percent = (share: number | undefined) =>
  share === undefined ? '-' : `${fixed(share * 100, 0)} %`;

/** Runs one load and measures the given processes' CPU (cores busy) over it. */
export async function measure(
  target: string,
  connections: number,
  processes: readonly { name: string; pid: number; children?: boolean }[],
  memoryPid: number,
  load: () => Promise<LoadResult>,
): Promise<Row> {
  // The client shares the machine: its CPU says how much was left for the target.
  const windows = [...processes, { name: 'client', pid: process.pid }].map((p) => ({
    name: p.name,
    window: cpuWindow(p.pid, { children: p.children ?? false }),
  }));
  const machineCpu = machineWindow();
  const result = await load();
  const used = windows.map((w) => ({ name: w.name, ...w.window.stop() }));
  const machine = machineCpu.stop();
  const cpu = used.map((w) => `${w.name} ${fixed(w.cores, 2)}`).join(', ');
  const cpuSeconds = Object.fromEntries(used.map((w) => [w.name, w.seconds]));
  return { target, connections, result, cpu, cpuSeconds, peakRss: mb(memory(memoryPid).peak), machine };
}

/**
 * What one schakel load cost per answered request. CPU and answered requests both span the warm-up
 * and the measured window; the database counters are read just before and just after the load.
 */
export interface SchakelCosts {
  readonly brokerMs: number;
  /** Undefined on a given server (its processes are not ours to measure). */
  readonly postgresMs: number | undefined;
  /** Statements (round trips) per request; undefined without pg_stat_statements. */
  readonly statements: number | undefined;
  /** Commits per request, when asked for (they take a wait to settle, see measureSchakel). */
  readonly commits: number | undefined;
  /** WAL bytes per request (our own cluster only). */
  readonly walBytes: number | undefined;
  readonly answered: number;
  /** Autovacuum and autoanalyze runs that finished during the load (their CPU is PostgreSQL's). */
  readonly maintenanceRuns: number;
  /** The statements run most often in the load, per answered request. */
  readonly top: readonly {
    readonly query: string;
    readonly perRequest: number;
    readonly meanMs: number;
    /** WAL the statement wrote per answered request. */
    readonly walPerRequest: number;
  }[];
}

/**
 * PostgreSQL 15 publishes a backend's last counts of up to a second only once it has been idle for
 * ten seconds (PGSTAT_IDLE_INTERVAL): pg_stat_database's commits need this long to settle.
 */
const STATS_SETTLE_MS = 11_000;

/**
 * Drives the broker with `next` and measures it: the load's figures and its costs per answered
 * request. With `commits`, waits for the commit counts to settle and reports them too.
 */
export async function measureSchakel(
  env: {
    readonly database: BenchDatabase;
    readonly broker: BenchBroker;
    readonly clients: readonly ClientTls[];
    readonly warmupMs: number;
  },
  load: {
    readonly label: string;
    readonly connections: number;
    readonly durationMs: number;
    readonly next: (i: number) => LoadRequest;
    readonly classify: (status: number, body: string) => string;
    readonly commits?: boolean;
  },
): Promise<{ row: Row; costs: SchakelCosts }> {
  const { database, broker } = env;
  const commitsBefore = load.commits === true ? await database.commits() : undefined;
  const maintenanceBefore = await database.maintenanceRuns();
  const walBefore = await database.walBytes();
  const statementsBefore = await database.statements();
  const topBefore = new Map((await database.topStatements(1000)).map((t) => [t.query, t]));
  const row = await measure(
    load.label,
    load.connections,
    [
      { name: 'broker', pid: broker.schakel.pid },
      ...(database.pid === undefined ? [] : [{ name: 'postgres', pid: database.pid, children: true }]),
    ],
    broker.schakel.pid,
    () =>
      runLoad({
        origin: broker.origin,
        clients: env.clients,
        connections: load.connections,
        durationMs: load.durationMs,
        warmupMs: env.warmupMs,
        next: load.next,
        classify: load.classify,
      }),
  );
  // These counters are current when read: read them before anything else runs.
  const walAfter = await database.walBytes();
  const statementsAfter = await database.statements();
  const topAfter = await database.topStatements(1000);
  const maintenanceAfter = await database.maintenanceRuns();
  let commits: number | undefined;
  if (commitsBefore !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, STATS_SETTLE_MS));
    commits = (await database.commits()) - commitsBefore;
  }
  const answered = row.result.answered;
  const top = topAfter
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
    commits: commits === undefined ? undefined : commits / answered,
    walBytes:
      walBefore === undefined || walAfter === undefined ? undefined : (walAfter - walBefore) / answered,
    answered,
    maintenanceRuns: maintenanceAfter - maintenanceBefore,
    top,
  };
  return { row, costs };
}
