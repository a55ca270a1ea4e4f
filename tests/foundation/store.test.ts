// The store: one set of migrations on PGlite and PostgreSQL, with int8 read as numbers on both.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';

describe.each(BACKENDS)('store on %s', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('migrates an empty database and is idempotent', async () => {
    store = await openTestStore(backend, { migrate: false });
    const first = await migrate(store.db);
    expect(first.results?.map((r) => r.status).every((s) => s === 'Success')).toBe(true);
    const second = await migrate(store.db);
    expect(second.results).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public'`.execute(store.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['partners', 'people']));
  });

  it('reads int8 as a number', async () => {
    store = await openTestStore(backend);
    const result = await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(store.db);
    expect(result.rows[0]?.n).toBe(9007199254740991);
  });

  it('keeps the registry key (identifier type, identifier, unit) unique', async () => {
    store = await openTestStore(backend);
    const partner = {
      kind: 'politie' as const,
      identifier_type: 'oin' as const,
      identifier: '00000001003214345000',
      unit: 'landelijk-team',
      organisation: 'Politie',
      national: true,
      token_jwks: null,
    };
    await store.db
      .insertInto('partners')
      .values({ id: 'politie-lt', ...partner })
      .execute();
    await expect(
      store.db
        .insertInto('partners')
        .values({ id: 'politie-lt2', ...partner })
        .execute(),
    ).rejects.toThrow(/partners_identity_unique/);
    await store.db
      .insertInto('partners')
      .values({ id: 'dkdb', ...partner, kind: 'dkdb', unit: 'dkdb', national: false })
      .execute();
  });

  it('answers ping', async () => {
    store = await openTestStore(backend);
    expect(await store.ping()).toBe(true);
  });
});
