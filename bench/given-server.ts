// A database of its own on the PostgreSQL a benchmark is given (SCHAKEL_BENCH_DATABASE_URL), dropped afterwards unless kept.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A benchmark's database on the given server. */
export interface BenchmarkDatabase {
  readonly name: string;
  /** Connection string of the database itself. */
  readonly url: string;
  /** Drops the database unless it is kept, and closes the admin connection. */
  close(): Promise<void>;
}

/**
 * Creates (or, with `keep`, reuses) a database on the server in SCHAKEL_BENCH_DATABASE_URL or
 * SCHAKEL_TEST_DATABASE_URL; without either it prints how to set one and exits with 2.
 *
 * @example const database = await benchmarkDatabase(); try { ... } finally { await database.close(); }
 */
export async function benchmarkDatabase(options: { keep?: string } = {}): Promise<BenchmarkDatabase> {
  const adminUrl = process.env.SCHAKEL_BENCH_DATABASE_URL ?? process.env.SCHAKEL_TEST_DATABASE_URL;
  if (adminUrl === undefined) {
    console.error('set SCHAKEL_BENCH_DATABASE_URL (a PostgreSQL the benchmark may create a database on)');
    process.exit(2);
  }
  const name = options.keep ?? `schakel_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async close() {
      try {
        if (options.keep === undefined) await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
