// Benchmark (figures, not assertions): WAL per insert into a grown primary-key index after a checkpoint, random (v4) against time-ordered (v7, newRowId) ids.
// Usage: SCHAKEL_BENCH_DATABASE_URL=postgresql://... node bench/row-ids.ts [EXISTING_ROWS] [INSERTS]
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { newRowId } from '../broker/store/row-id.ts';
import { benchmarkDatabase } from './given-server.ts';

const existing = Number(process.argv[2] ?? 2_000_000);
const inserts = Number(process.argv[3] ?? 200_000);
/** Rows per insert statement while measuring: about what the request writer stores per batch. */
const BATCH = 8;

const database = await benchmarkDatabase();
const db = new pg.Client({ connectionString: database.url });
await db.connect();

/** The server's WAL insert position in bytes (the whole server's: run it on a quiet one). */
async function walPosition(): Promise<number> {
  const row = await db.query<{ n: string }>(
    `select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as n`,
  );
  return Number(row.rows[0]!.n);
}

async function insert(table: string, ids: readonly string[]): Promise<void> {
  await db.query(`insert into ${table} (id) select unnest($1::text[])`, [ids]);
}

console.log(
  `row ids: ${existing} rows first, a checkpoint, then ${inserts} inserts of ${BATCH} rows per statement; ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
);
try {
  for (const [label, makeId] of [
    ['random (v4, randomUUID)', randomUUID],
    ['time-ordered (v7, newRowId)', () => newRowId()],
  ] as const) {
    const table = label.startsWith('random') ? 'ids_random' : 'ids_ordered';
    await db.query(
      `create table ${table} (id text primary key, created_at timestamptz not null default now())`,
    );
    for (let done = 0; done < existing; done += 20_000) {
      await insert(table, Array.from({ length: Math.min(20_000, existing - done) }, makeId));
    }
    // After a checkpoint the first change to each page writes the whole page to the WAL.
    await db.query('checkpoint');
    const before = await walPosition();
    const started = performance.now();
    for (let done = 0; done < inserts; done += BATCH) {
      await insert(table, Array.from({ length: BATCH }, makeId));
    }
    const seconds = (performance.now() - started) / 1000;
    const wal = (await walPosition()) - before;
    const index = await db.query<{ s: string }>(`select pg_relation_size('${table}_pkey')::text as s`);
    console.log(
      `  ${label.padEnd(28)} ${Math.round(wal / inserts)
        .toString()
        .padStart(
          5,
        )} bytes of WAL per row, ${seconds.toFixed(1)} s; index ${Math.round(Number(index.rows[0]!.s) / 1e6)} MB`,
    );
  }
} finally {
  await db.end();
  await database.close();
}
