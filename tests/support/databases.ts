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

/** A fresh, empty PostgreSQL database created for this test; dropped by the returned store's close(). */
async function freshPostgres(url: string): Promise<Store> {
  const name = `schakel_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: dbUrl.toString(), poolSize: 8 });
  return {
    ...store,
    async close() {
      await store.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
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
