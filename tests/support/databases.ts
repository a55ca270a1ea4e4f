// Test databases: every database test runs on PGlite, and on PostgreSQL when SCHAKEL_TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate, openStore, type Store } from '../../broker/store/database.ts';

export const POSTGRES_URL = process.env.SCHAKEL_TEST_DATABASE_URL;

/** The backends this run covers; PostgreSQL only when configured (CI always configures it). */
export const BACKENDS: readonly ('pglite' | 'postgres')[] =
  POSTGRES_URL === undefined || POSTGRES_URL === '' ? ['pglite'] : ['pglite', 'postgres'];

if (process.env.CI !== undefined && BACKENDS.length === 1) {
  throw new Error('CI must set SCHAKEL_TEST_DATABASE_URL so the suite runs on PostgreSQL too');
}

const TEMPLATE = path.join(os.tmpdir(), `schakel-pglite-template-${process.getuid?.() ?? 0}.tar.gz`);

/**
 * A fresh PGlite in memory. Creating a data directory costs 3-4 s, so the first call dumps an empty
 * cluster to a template file and later calls (in any worker) load it.
 */
async function freshPglite(): Promise<Store> {
  if (!existsSync(TEMPLATE)) {
    const seed = new PGlite();
    await seed.waitReady;
    const dump = await seed.dumpDataDir('gzip');
    await seed.close();
    const tmp = `${TEMPLATE}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    (await import('node:fs')).renameSync(tmp, TEMPLATE);
  }
  const blob = new Blob([readFileSync(TEMPLATE)]);
  return openStore({ kind: 'pglite', loadDataDir: blob });
}

/** An empty PostgreSQL database made for one test: its URL, and drop() to remove it (connections forced out). */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database named `<prefix>_<random>` on the PostgreSQL server at `adminUrl`.
 *
 * @example const db = await createScratchDatabase(POSTGRES_URL!, 'schakel_cli'); try { ... } finally { await db.drop(); }
 */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** A fresh, empty PostgreSQL database created for this test; dropped by the returned store's close(). */
async function freshPostgres(url: string): Promise<Store> {
  const database = await createScratchDatabase(url, 'schakel_test');
  const store = await openStore({ kind: 'postgres', url: database.url, poolSize: 8 });
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** Opens a fresh, migrated database of the given backend. Close it in afterEach/afterAll. */
export async function openTestStore(
  backend: 'pglite' | 'postgres',
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const store = backend === 'pglite' ? await freshPglite() : await freshPostgres(POSTGRES_URL!);
  if (options.migrate ?? true) await migrate(store.db);
  return store;
}

/** A scratch directory under the OS temp dir. */
export function scratchDir(prefix: string): string {
  const dir = path.join(os.tmpdir(), `schakel-${prefix}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
