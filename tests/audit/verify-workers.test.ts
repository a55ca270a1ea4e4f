// Verification on worker threads (PostgreSQL): the same verdict as in one thread, for breaks inside a page and at page boundaries.
import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { canonicalJson } from '../../broker/audit/canonical.ts';
import { chainHash } from '../../broker/audit/hashing.ts';
import { verifyLog, type VerifyResult } from '../../broker/audit/verify.ts';
import { openStore } from '../../broker/store/database.ts';
import type { Database } from '../../broker/store/schema.ts';
import { POSTGRES_URL } from '../support/databases.ts';
import { appendMany, itWithPostgres, openAuditFixture, type AuditFixture } from './support.ts';

/** Runs `meanwhile` once, right after the first query that returns signed checkpoints (not a tombstone). */
class AfterCheckpointsRead implements KyselyPlugin {
  #done = false;
  readonly #meanwhile: () => Promise<unknown>;
  constructor(meanwhile: () => Promise<unknown>) {
    this.#meanwhile = meanwhile;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const first = args.result.rows[0];
    if (!this.#done && first !== undefined && 'jws' in first && !('frontier' in first)) {
      this.#done = true;
      await this.#meanwhile();
    }
    return args.result;
  }
}

/** Pages of 7 entries: seq 8, 15, 22, 29 and 36 open a page; 40 entries in batches of 8. */
const PAGE = 7;

async function asAttacker(db: Kysely<Database>, statements: ReturnType<typeof sql>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const s of statements) await s.execute(trx);
  });
}

/** Rewrites the bodies of entries from `from` on and re-chains every later hash, as an attacker who knows the scheme. */
async function rewriteFrom(db: Kysely<Database>, from: number, edit: (body: string) => string) {
  const rows = (
    await sql<{
      seq: number;
      body: string;
    }>`select seq, body from audit_entries where seq >= ${from} order by seq`.execute(db)
  ).rows;
  let prev = (await sql<{ hash: string }>`select hash from audit_entries where seq = ${from - 1}`.execute(db))
    .rows[0]!.hash;
  const updates = rows.map((r) => {
    const body = Number(r.seq) === from ? edit(r.body) : r.body;
    const hash = chainHash(prev, body);
    const statement = sql`update audit_entries set body = ${body}, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`;
    prev = hash;
    return statement;
  });
  await asAttacker(db, updates);
}

describe('verification on worker threads', () => {
  let f: AuditFixture;
  let url: string;
  /** The verdict in this thread and with 1 and 2 workers: all three must be equal. */
  const verdicts = async (): Promise<VerifyResult[]> => {
    const run = (workers: number) =>
      verifyLog({ db: f.store.db, jwks: f.keyring.jwks, pageSize: PAGE, postgresUrl: url, workers });
    return [await run(0), await run(1), await run(2)];
  };
  const expectVerdict = async (expected: Record<string, unknown>) => {
    const [inThread, one, two] = await verdicts();
    expect(inThread).toMatchObject(expected);
    expect(one).toEqual(inThread);
    expect(two).toEqual(inThread);
  };

  beforeEach(async () => {
    if (POSTGRES_URL === undefined || POSTGRES_URL === '') return;
    f = await openAuditFixture('postgres', 8);
    for (let round = 0; round < 4; round++) await appendMany(f.log, 10, round * 10);
    const name = (await sql<{ name: string }>`select current_database() as name`.execute(f.store.db)).rows[0]!
      .name;
    const u = new URL(POSTGRES_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterEach(async () => {
    await f?.close();
  });

  itWithPostgres('verifies an untouched log with workers, as in one thread', async () => {
    await expectVerdict({ ok: true, firstSeq: 1, lastSeq: 40, outsideChecked: 0 });
    const from = (workers: number) =>
      verifyLog({ db: f.store.db, jwks: f.keyring.jwks, postgresUrl: url, workers, fromSeq: 25 });
    const fromInThread = await from(0);
    expect(fromInThread).toMatchObject({ ok: true, lastSeq: 40 });
    expect(await from(2)).toEqual(fromInThread);
  });

  itWithPostgres('names a changed entry inside a page and at a page boundary', async () => {
    await asAttacker(f.store.db, [
      sql`update audit_entries set body = replace(body, 'disclosed', 'denied') where seq in (19, 22)`,
    ]);
    await expectVerdict({ ok: false, seq: 19, problem: expect.stringMatching(/does not match its content/) });
    await asAttacker(f.store.db, [
      sql`update audit_entries set body = replace(body, 'denied', 'disclosed') where seq = 19`,
    ]);
    await expectVerdict({ ok: false, seq: 22, problem: expect.stringMatching(/does not match its content/) });
  });

  itWithPostgres('names a changed column inside a page and at the first entry of a page', async () => {
    await asAttacker(f.store.db, [sql`update audit_entries set holder = 'demo-politie' where seq = 15`]);
    await expectVerdict({ ok: false, seq: 15, problem: 'its holder column differs from the hashed body' });
    await asAttacker(f.store.db, [
      sql`update audit_entries set holder = 'demo-ggz' where seq = 15`,
      sql`update audit_entries set parties = '["demo-ggz"]'::jsonb where seq = 12`,
    ]);
    await expectVerdict({ ok: false, seq: 12, problem: 'its parties column differs from the hashed body' });
  });

  itWithPostgres('names a deleted entry inside a page, at a boundary, and a whole page deleted', async () => {
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq = 11`]);
    await expectVerdict({ ok: false, seq: 11, problem: 'entry 11 is missing (the next entry is 12)' });
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq <= 14 and seq >= 8`]);
    await expectVerdict({ ok: false, seq: 8, problem: 'entry 8 is missing (the next entry is 15)' });
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq >= 22 and seq <= 36`]);
    await expectVerdict({ ok: false, seq: 8, problem: 'entry 8 is missing (the next entry is 15)' });
  });

  itWithPostgres('names a prev_hash that does not link, inside a page and at a boundary', async () => {
    await asAttacker(f.store.db, [
      sql`update audit_entries set prev_hash = ${'0'.repeat(64)} where seq = 29`,
    ]);
    await expectVerdict({ ok: false, seq: 29, problem: 'its prev_hash does not match the hash of entry 28' });
    await asAttacker(f.store.db, [
      sql`update audit_entries set prev_hash = ${'1'.repeat(64)} where seq = 10`,
    ]);
    await expectVerdict({ ok: false, seq: 10, problem: 'its prev_hash does not match the hash of entry 9' });
  });

  itWithPostgres(
    'names the batch when a page boundary entry and every later hash were rewritten',
    async () => {
      const sizes = (
        await sql<{ tree_size: number }>`select tree_size from audit_checkpoints order by tree_size`.execute(
          f.store.db,
        )
      ).rows.map((r) => Number(r.tree_size));
      const before = sizes.filter((s) => s < 15).at(-1)!;
      const covering = sizes.find((s) => s >= 15)!;
      await rewriteFrom(f.store.db, 15, (body) => body.replace('disclosed', 'denied'));
      await expectVerdict({
        ok: false,
        seq: before + 1,
        problem: `entries ${before + 1}..${covering} do not match the signed checkpoint of size ${covering} (rewritten entries)`,
      });
    },
  );

  itWithPostgres('names a body that is not JSON though its hash was recomputed', async () => {
    await rewriteFrom(f.store.db, 23, () => '{"type":');
    await expectVerdict({ ok: false, seq: 23, problem: 'its body is not JSON' });
  });

  itWithPostgres('names a malformed prev_hash at the first entry of a page and of the log', async () => {
    await asAttacker(f.store.db, [sql`update audit_entries set prev_hash = 'abc' where seq = 15`]);
    await expectVerdict({ ok: false, seq: 15, problem: 'its prev_hash does not match the hash of entry 14' });
    await asAttacker(f.store.db, [sql`update audit_entries set prev_hash = 'zz' where seq = 1`]);
    await expectVerdict({ ok: false, seq: 1, problem: 'its prev_hash does not match the hash of entry 0' });
  });

  itWithPostgres('names a body that is JSON but no object though its hash was recomputed', async () => {
    await rewriteFrom(f.store.db, 22, () => 'null');
    await expectVerdict({ ok: false, seq: 22, problem: 'its body is not a JSON object' });
  });

  itWithPostgres('names a body that is no text (a column retyped) instead of failing', async () => {
    // Thrown inside the driver's row event, the hash of a null body once ended the process.
    await asAttacker(f.store.db, [
      sql`alter table audit_entries alter column body drop not null`,
      sql`update audit_entries set body = null where seq = 17`,
    ]);
    await expectVerdict({ ok: false, seq: 17, problem: 'its body is not text' });
    await asAttacker(f.store.db, [
      sql`update audit_entries set body = '{}' where seq = 17`,
      sql`alter table audit_entries alter column body type jsonb using body::jsonb`,
    ]);
    await expectVerdict({ ok: false, seq: 1, problem: expect.stringMatching(/does not match its content/) });
  });

  itWithPostgres('names a parties member that is no list though its hash was recomputed', async () => {
    await rewriteFrom(f.store.db, 17, (body) => body.replace('{"actor"', '{"parties":5,"actor"'));
    await expectVerdict({ ok: false, seq: 17, problem: 'its parties member is not a list' });
  });

  itWithPostgres('names an entry whose check throws, without quoting what is stored', async () => {
    // Sorting these parties calls a toString that is no function: the check throws a TypeError.
    await rewriteFrom(f.store.db, 17, (body) =>
      body.replace('{"actor"', '{"parties":[{"toString":111222333},{"toString":1}],"actor"'),
    );
    await expectVerdict({
      ok: false,
      seq: 17,
      problem: 'the verifier could not check it (TypeError)',
    });
  });

  itWithPostgres('names an entry put before the first one', async () => {
    const body = canonicalJson({ type: 'disclosure', v: 1, time: new Date().toISOString() });
    await asAttacker(f.store.db, [
      sql`alter table audit_entries drop constraint if exists audit_entries_seq_check`,
      sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (0, now(), 'disclosure', false, '[]'::jsonb, ${body}, ${'0'.repeat(64)}, ${chainHash('0'.repeat(64), body)})`,
    ]);
    await expectVerdict({
      ok: false,
      seq: 0,
      problem: "an entry lies at seq 0, before the log's first entry (seq 1)",
    });
  });

  itWithPostgres('verifies under a server idle-in-transaction timeout shorter than the walk', async () => {
    // The verifying transaction waits while other connections read its snapshot; here it also
    // waits 300 ms right after reading the checkpoints, as on a long log.
    const name = new URL(url).pathname.slice(1);
    await sql
      .raw(`alter database ${name} set idle_in_transaction_session_timeout = '100ms'`)
      .execute(f.store.db);
    const store = await openStore({ kind: 'postgres', url, poolSize: 2 });
    try {
      for (const workers of [0, 1, 2]) {
        const slow = store.db.withPlugin(
          new AfterCheckpointsRead(() => new Promise((r) => setTimeout(r, 300))),
        );
        expect(
          await verifyLog({ db: slow, jwks: f.keyring.jwks, pageSize: PAGE, postgresUrl: url, workers }),
        ).toMatchObject({ ok: true, lastSeq: 40 });
      }
    } finally {
      await store.close();
    }
  });

  itWithPostgres('names an entry appended past the last checkpoint', async () => {
    const last = (
      await sql<{ hash: string }>`select hash from audit_entries where seq = 40`.execute(f.store.db)
    ).rows[0]!;
    const body = canonicalJson({ type: 'disclosure', v: 1, time: new Date().toISOString() });
    await asAttacker(f.store.db, [
      sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (41, now(), 'disclosure', false, '[]'::jsonb, ${body}, ${last.hash}, ${chainHash(last.hash, body)})`,
    ]);
    await expectVerdict({
      ok: false,
      seq: 41,
      problem: 'entries 41..41 are not covered by any signed checkpoint (not written by the broker)',
    });
  });

  itWithPostgres('verifies a log that is written meanwhile as it stood when verification began', async () => {
    // Right after the verifier has read the checkpoints, another writer commits a batch (entries and
    // its checkpoint). Read one statement at a time, those entries showed up uncovered.
    for (const workers of [0, 2]) {
      const before = await sql<{ n: number }>`select count(*)::int as n from audit_entries`.execute(
        f.store.db,
      );
      const watched = f.store.db.withPlugin(
        new AfterCheckpointsRead(() => appendMany(f.log, 8, 500 + workers)),
      );
      const result = await verifyLog({
        db: watched,
        jwks: f.keyring.jwks,
        pageSize: PAGE,
        postgresUrl: url,
        workers,
      });
      expect(result).toMatchObject({ ok: true, lastSeq: before.rows[0]!.n });
      expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
        ok: true,
        lastSeq: before.rows[0]!.n + 8,
      });
    }
  });

  itWithPostgres(
    'rejects, rather than hangs, when a worker or this thread cannot read the database',
    async () => {
      const elsewhere = new URL(url);
      elsewhere.pathname = '/schakel_no_such_database';
      for (const workers of [0, 1, 2]) {
        await expect(
          verifyLog({
            db: f.store.db,
            jwks: f.keyring.jwks,
            pageSize: PAGE,
            postgresUrl: elsewhere.toString(),
            workers,
          }),
        ).rejects.toThrow(/reading entries failed/);
      }
    },
  );
});
