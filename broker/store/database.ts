// Opens the database (embedded PGlite or PostgreSQL through pg) behind one Kysely instance, and migrates it.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError } from '../errors.ts';
import { migrations } from './migrations/index.ts';
import { createPglitePool } from './pglite-pool.ts';
import { preparingPool } from './prepared.ts';
import type { Database } from './schema.ts';

const INT8_OID = 20;
/** Sequence numbers and counts stay far below 2^53; both drivers return them as numbers. */
const parseInt8 = (value: string): number => Number(value);

export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly dir?: string; readonly loadDataDir?: Blob }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number };

/** An open database: the Kysely handle plus lifecycle. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  /** Answers whether the database responds to a trivial query within a second. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens a database. With `kind: 'pglite'` and a `dir`, data persists there (created when absent);
 * without `dir` it is in memory (tests).
 *
 * @throws DatabaseUnavailableError (ERR_DATABASE_UNAVAILABLE) when PostgreSQL cannot be reached.
 * @example const store = await openStore({ kind: 'pglite', dir: './var/db' });
 */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  if (target.kind === 'pglite') {
    if (target.dir !== undefined) mkdirSync(target.dir, { recursive: true });
    const options = {
      parsers: { [INT8_OID]: parseInt8 },
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    };
    const pglite = target.dir === undefined ? new PGlite(options) : new PGlite(target.dir, options);
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPglitePool(pglite) }) });
    return makeStore(db, 'pglite', { pglite });
  }
  // Per-pool parsers: the process-global pg.types stays untouched.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    types,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor may a checked-out client (mid-transaction) whose server dies: its pending query rejects instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return makeStore(db, 'postgres', {});
}

function makeStore(db: Kysely<Database>, kind: Store['kind'], _internals: { pglite?: PGlite }): Store {
  return {
    db,
    kind,
    async ping() {
      try {
        await withTimeout(sql`select 1`.execute(db), 1_000);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every pending migration.
 *
 * @throws Error naming the failing migration.
 */
export async function migrate(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    // Rooms land their numbered migrations in a different order than the numbers (0002 is reserved).
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message}`, {
      cause: result.error,
    });
  }
  return result;
}
