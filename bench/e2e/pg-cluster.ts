// A throwaway PostgreSQL cluster for the benchmarks (initdb in a temp dir, free port, fsync on), so runs are reproducible.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface BenchCluster {
  readonly url: string;
  /** The postmaster's process id (its backends are its children). */
  readonly pid: number;
  /** WAL bytes that can be written after the warm-up before segments are created again. */
  readonly recycledWalBytes: number;
  destroy(): void;
}

/** Where Debian keeps the server binaries when they are not on PATH. */
const PG_BIN_DIRS = [
  '/usr/lib/postgresql/17/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/15/bin',
];

function binDir(): string {
  const found = PG_BIN_DIRS.find((dir) => existsSync(path.join(dir, 'initdb')));
  if (found === undefined) {
    throw new Error(
      'initdb not found: install PostgreSQL (apt-get install postgresql) or set SCHAKEL_BENCH_DATABASE_URL',
    );
  }
  return found;
}

/** Runs a shell command as the postgres user when we are root (initdb refuses root). */
function asPostgres(command: string): void {
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'su' : 'sh', asRoot ? ['postgres', '-c', command] : ['-c', command], {
    stdio: 'pipe',
  });
}

const SEGMENT_BYTES = 16 * 1024 * 1024;

/**
 * WAL segments written and checkpointed before the load comparison: 3 GB, as much as min_wal_size
 * keeps. A default run writes about 1.4 GB (4 to 11 kB per request by kind, 8.7 kB for the mix);
 * past the warmed segments every new one is created under the WAL write lock again, and the last
 * loads of a run measured that (p99 over 100 ms) rather than the broker. The micro benchmarks
 * write less than 1 GB.
 */
export const LOAD_WARM_SEGMENTS = 192;
const DEFAULT_WARM_SEGMENTS = 64;

/**
 * Makes the new cluster's WAL behave as a running server's: PostgreSQL recycles the segments a
 * checkpoint no longer needs (up to min_wal_size) by renaming them, but a new cluster has none, so
 * each segment is created, 16 MB zero-filled and fsynced while the WAL write lock is held: every
 * commit waits for that (a 5 ms fsync under strace) about every 1.5 s of the load. Switching
 * through `segments` segments and checkpointing leaves that many to recycle.
 */
async function warmWal(url: string, segments: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < segments; i++) {
      // A switch needs WAL in the current segment; a non-transactional message writes one record.
      await client.query(`select pg_logical_emit_message(false, 'schakel-bench', 'warm'), pg_switch_wal()`);
    }
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

/**
 * Creates and starts a cluster with production-like durability (fsync and synchronous_commit on)
 * and WAL sized as docs/operations.md advises for the log (checkpoints by time, not by WAL volume).
 * pg_stat_statements is loaded so the benchmark can count the statements (round trips) per request.
 * `warmSegments` WAL segments are switched through first (default 64, 1 GB; LOAD_WARM_SEGMENTS for
 * the load comparison). Call destroy() when done; it stops the server and removes the directory.
 */
export async function startBenchCluster(
  settings: { readonly warmSegments?: number } = {},
): Promise<BenchCluster> {
  const warmSegments = settings.warmSegments ?? DEFAULT_WARM_SEGMENTS;
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schakel-bench-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres(`${bin}/initdb -D ${data} -A trust -U postgres --no-sync >/dev/null`);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=256MB -c max_wal_size=8GB -c min_wal_size=3GB -c wal_compression=on -c shared_preload_libraries=pg_stat_statements`;
  const pgctl = (action: string) =>
    asPostgres(`${bin}/pg_ctl -D ${data} -o '${options}' -l ${dir}/log -w ${action}`);
  pgctl('start');
  const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const cluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pid,
    recycledWalBytes: warmSegments * SEGMENT_BYTES,
    destroy() {
      try {
        pgctl('stop -m fast');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await warmWal(cluster.url, warmSegments);
  } catch (error) {
    cluster.destroy();
    throw error;
  }
  return cluster;
}
