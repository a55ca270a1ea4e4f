// The end-to-end benchmark's environment: a PostgreSQL (own throwaway cluster or a given server), the broker, tokens and cases.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PolicyCase } from '../../broker/policy/types.ts';
import { mixTokens, openCases } from './mix.ts';
import { LOAD_WARM_SEGMENTS, startBenchCluster, type BenchCluster } from './pg-cluster.ts';
import { startSchakel, type RunningSchakel } from './schakel-target.ts';

/** A PostgreSQL database for one run, and the postmaster's pid when we started the server ourselves. */
export interface BenchDatabase {
  readonly url: string;
  /** The postmaster pid (for its CPU), when the cluster is ours. */
  readonly pid?: number;
  readonly description: string;
  /** Committed transactions in the database so far (pg_stat_database; updated with a short delay). */
  commits(): Promise<number>;
  /**
   * Statements the clients ran in the database so far, BEGIN and COMMIT included: one round trip
   * each (pg_stat_statements; undefined when the server does not load it).
   */
  statements(): Promise<number | undefined>;
  /** The statements run most often so far, with their calls (empty without pg_stat_statements). */
  topStatements(limit: number): Promise<{ calls: number; execMs: number; walBytes: number; query: string }[]>;
  /**
   * Autovacuum and autoanalyze runs finished on the database's tables so far: their workers' CPU
   * counts as PostgreSQL's, so a load they ran beside shows it.
   */
  maintenanceRuns(): Promise<number>;
  /** VACUUM (ANALYZE) of the benchmark database: what autovacuum would do later, done now. */
  vacuum(): Promise<void>;
  /**
   * The server's WAL insert position in bytes, on our own cluster only (undefined on a given server,
   * where other databases write WAL too).
   */
  walBytes(): Promise<number | undefined>;
  /** WAL bytes our cluster can take after its warm-up before it creates segments again. */
  readonly recycledWalBytes?: number;
  drop(): Promise<void>;
}

/**
 * A fresh database: on SCHAKEL_BENCH_DATABASE_URL when set (the server is left running), else on a
 * throwaway cluster started here (fsync and synchronous_commit on) and removed afterwards.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const given = process.env.SCHAKEL_BENCH_DATABASE_URL;
  let cluster: BenchCluster | undefined;
  const adminUrl = given ?? (cluster = await startBenchCluster({ warmSegments: LOAD_WARM_SEGMENTS })).url;
  const name = `schakel_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  // A connection the server ends (a crash, a terminated backend) must not crash the run past its
  // clean-up, which stops the cluster and removes its directory; the next query fails instead.
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`create database ${name}`);
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!
    .server_version;
  // Only our own cluster preloads pg_stat_statements; a given server may not.
  const counting = await admin
    .query('create extension if not exists pg_stat_statements')
    .then(() => true)
    .catch(() => false);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Table statistics are per database: read them in the benchmark's own, on one connection kept open.
  let own: pg.Client | undefined;
  const ownClient = async (): Promise<pg.Client> => {
    if (own === undefined) {
      own = new pg.Client({ connectionString: url.toString() });
      own.on('error', () => undefined);
      await own.connect();
    }
    return own;
  };
  return {
    url: url.toString(),
    ...(cluster === undefined ? {} : { pid: cluster.pid, recycledWalBytes: cluster.recycledWalBytes }),
    description: `PostgreSQL ${version} (${cluster === undefined ? 'SCHAKEL_BENCH_DATABASE_URL' : 'throwaway cluster on this host, fsync on'})`,
    async commits() {
      await admin.query('select pg_stat_clear_snapshot()');
      const row = await admin.query<{ n: string }>(
        'select xact_commit::text as n from pg_stat_database where datname = $1',
        [name],
      );
      return Number(row.rows[0]?.n ?? 0);
    },
    async statements() {
      if (!counting) return undefined;
      const row = await admin.query<{ n: string }>(
        `select coalesce(sum(calls), 0)::text as n from pg_stat_statements
          where dbid = (select oid from pg_database where datname = $1)`,
        [name],
      );
      return Number(row.rows[0]?.n ?? 0);
    },
    async topStatements(limit) {
      if (!counting) return [];
      const rows = await admin.query<{ calls: string; exec_ms: string; wal_bytes: string; query: string }>(
        `select calls::text, total_exec_time::text as exec_ms, wal_bytes::text, query from pg_stat_statements
          where dbid = (select oid from pg_database where datname = $1)
          order by calls desc limit $2`,
        [name, limit],
      );
      return rows.rows.map((r) => ({
        calls: Number(r.calls),
        execMs: Number(r.exec_ms),
        walBytes: Number(r.wal_bytes),
        query: r.query,
      }));
    },
    async maintenanceRuns() {
      const client = await ownClient();
      await client.query('select pg_stat_clear_snapshot()');
      const row = await client.query<{ n: string }>(
        'select coalesce(sum(autovacuum_count + autoanalyze_count), 0)::text as n from pg_stat_user_tables',
      );
      return Number(row.rows[0]?.n ?? 0);
    },
    async vacuum() {
      await (await ownClient()).query('vacuum (analyze)');
    },
    async walBytes() {
      if (cluster === undefined) return undefined;
      const row = await admin.query<{ n: string }>(
        `select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as n`,
      );
      return Number(row.rows[0]?.n ?? 0);
    },
    async drop() {
      try {
        await own?.end().catch(() => undefined);
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      } finally {
        cluster?.destroy();
      }
    },
  };
}

/** A warning when the loads wrote more WAL than the cluster warmed: the later ones measured segment creation. */
export async function walBeyondWarmUp(
  database: BenchDatabase,
  walAtStart: number | undefined,
): Promise<string | undefined> {
  const now = await database.walBytes();
  const budget = database.recycledWalBytes;
  if (walAtStart === undefined || now === undefined || budget === undefined || now - walAtStart <= budget)
    return undefined;
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return (
    `\nnote: the loads wrote ${gb(now - walAtStart)} GB of WAL, more than the ${gb(budget)} GB warmed: ` +
    'the later ones also measured PostgreSQL creating WAL segments (see bench/e2e/pg-cluster.ts)'
  );
}

/** A running broker with cases opened and tokens minted, ready for load. */
export interface BenchBroker {
  readonly schakel: RunningSchakel;
  readonly origin: string;
  readonly tokens: readonly string[];
  readonly cases: Record<string, PolicyCase>;
  readonly workDir: string;
  close(): Promise<void>;
}

/** The pseudonym the alternative stack uses for the subject (it has no pseudonym key). */
export const ALT_SUBJECT_PSEUDONYM = 'p1.bench-subject';

/** Starts `schakel serve` on the database with the demo partners and opens `caseCount` cases through the API. */
export async function startBenchBroker(
  database: BenchDatabase,
  options: { caseCount: number; nodeFlags?: readonly string[] },
): Promise<BenchBroker> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'schakel-bench-'));
  const schakel = await startSchakel({
    databaseUrl: database.url,
    dataDir: workDir,
    ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
  });
  try {
    const origin = `https://127.0.0.1:${schakel.port}`;
    const tokens = await mixTokens(schakel.pkiDir);
    const cases = await openCases(
      origin,
      schakel.pkiDir,
      tokens.tokens,
      options.caseCount,
      ALT_SUBJECT_PSEUDONYM,
    );
    return {
      schakel,
      origin,
      tokens: tokens.tokens,
      cases,
      workDir,
      async close() {
        tokens.close();
        await schakel.stop();
        if (process.env.SCHAKEL_BENCH_KEEP === undefined) rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await schakel.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
