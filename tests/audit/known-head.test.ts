// Batches after the head this process committed: one statement when no one else wrote, chained again under the lock when someone did.
import { sql, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { BACKENDS } from '../support/databases.ts';
import { appendMany, openAuditFixture, type AuditFixture } from './support.ts';

/** Counts the statements a Kysely instance runs (BEGIN and COMMIT are not statements here). */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count++;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
}

describe.each(BACKENDS)('batches after a known head on %s', (backend) => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await openAuditFixture(backend);
  });
  afterEach(async () => {
    await f.close();
  });

  it('writes a batch as one statement once it knows the head, after reading it under the lock first', async () => {
    await f.log.close();
    const counter = statementCounter();
    const log = createAuditLog({ db: f.store.db.withPlugin(counter), keyring: f.keyring });
    await appendMany(log, 1);
    // The first batch: the lock, the head, the insert.
    expect(counter.count).toBe(3);
    await appendMany(log, 1, 1);
    expect(counter.count).toBe(4);
    await log.close();
  });

  it('chains a batch again under the lock when another writer moved the head, and keeps one chain', async () => {
    await f.log.close();
    const counter = statementCounter();
    const first = createAuditLog({ db: f.store.db.withPlugin(counter), keyring: f.keyring });
    const second = createAuditLog({ db: f.store.db, keyring: f.keyring });
    await appendMany(first, 5);
    await appendMany(second, 5, 5);
    const before = counter.count;
    // `first` remembers head 5; the database holds 10 now.
    const entries = await appendMany(first, 5, 10);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual([11, 12, 13, 14, 15]);
    // The refused statement, then the lock, the head and the insert.
    expect(counter.count - before).toBe(4);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_entries`.execute(
      f.store.db,
    );
    expect(rows[0]!.n).toBe(15);
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
      ok: true,
      lastSeq: 15,
    });
    await first.close();
    await second.close();
  });

  it.runIf(backend === 'postgres')(
    'writes nothing while another connection holds the append lock, and commits once it is released',
    async () => {
      await appendMany(f.log, 1);
      const appended = await f.store.db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtext('schakel.audit.append'))`.execute(conn);
        const appending = appendMany(f.log, 3, 1);
        // Wait until the batch either waits for the lock or has written something.
        const state = async () =>
          (
            await sql<{ waiting: number; entries: number }>`
              select (select count(*)::int from pg_locks where locktype = 'advisory' and not granted) as waiting,
                     (select count(*)::int from audit_entries) as entries`.execute(conn)
          ).rows[0]!;
        let seen = await state();
        while (seen.waiting === 0 && seen.entries === 1) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          seen = await state();
        }
        // The known-head statement found the lock taken, wrote nothing, and the batch waits for the lock.
        expect(seen).toEqual({ waiting: 1, entries: 1 });
        await sql`select pg_advisory_unlock(hashtext('schakel.audit.append'))`.execute(conn);
        return appending;
      });
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual([2, 3, 4]);
      expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
        ok: true,
        lastSeq: 4,
      });
    },
  );
});
