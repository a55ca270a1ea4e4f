// Registered statement texts run as named prepared statements on PostgreSQL; everything else as before, on both backends.
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparedStatement } from '../../broker/store/prepared.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';

const REGISTERED = preparedStatement('select $1::int + 1 as n /* prepared-statements test */');
const UNREGISTERED = 'select $1::int + 2 as n /* prepared-statements test */';
const STALE = preparedStatement('select * from prepared_probe where id = $1 /* prepared-statements test */');

describe.each(BACKENDS)('prepared statements on %s', (backend) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(backend, { migrate: false });
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers a registered statement and an unregistered one alike, again and again', async () => {
    for (let i = 0; i < 7; i++) {
      const [a, b] = await Promise.all([
        store.db.executeQuery<{ n: number }>(CompiledQuery.raw(REGISTERED, [i])),
        store.db.executeQuery<{ n: number }>(CompiledQuery.raw(UNREGISTERED, [i])),
      ]);
      expect(a.rows).toEqual([{ n: i + 1 }]);
      expect(b.rows).toEqual([{ n: i + 2 }]);
    }
  });

  it.runIf(backend === 'postgres')('prepares only the registered text, once per connection', async () => {
    const prepared = await store.db.connection().execute(async (db) => {
      for (let i = 0; i < 3; i++) {
        await db.executeQuery(CompiledQuery.raw(REGISTERED, [i]));
        await db.executeQuery(CompiledQuery.raw(UNREGISTERED, [i]));
      }
      return (
        await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)
      ).rows.map((r) => r.statement);
    });
    expect(prepared).toEqual([REGISTERED]);
  });
});

describe.runIf(BACKENDS.includes('postgres'))('prepared statements after a schema change', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore('postgres', { migrate: false });
  });
  afterEach(async () => {
    await store.close();
  });

  it('closes a connection whose prepared statement a schema change made stale: the next one works', async () => {
    await sql`create table prepared_probe (id int, v int)`.execute(store.db);
    await sql`insert into prepared_probe values (1, 2)`.execute(store.db);
    await store.db.connection().execute(async (db) => {
      expect((await db.executeQuery(CompiledQuery.raw(STALE, [1]))).rows).toEqual([{ id: 1, v: 2 }]);
      // A migration run by a newer process while this one keeps its connections.
      await sql`alter table prepared_probe alter column v type text`.execute(db);
      await expect(db.executeQuery(CompiledQuery.raw(STALE, [1]))).rejects.toThrow(
        /cached plan must not change result type/,
      );
    });
    for (let i = 0; i < 5; i++) {
      const { rows } = await store.db.executeQuery(CompiledQuery.raw(STALE, [1]));
      expect(rows).toEqual([{ id: 1, v: '2' }]);
    }
  });
});

describe('preparedStatement', () => {
  it('refuses texts beyond the first 64 (a text built per call must not be registered)', () => {
    expect(() => {
      for (let i = 0; i < 65; i++) preparedStatement(`select ${i} /* prepared-statements cap */`);
    }).toThrow(/too many prepared statement texts/);
  });
});
