// Tampering as an attacker with database access would (triggers disabled): verify fails and names where.
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../broker/audit/canonical.ts';
import { chainHash } from '../../broker/audit/hashing.ts';
import { verifyLog, type OutsideCheckpoint } from '../../broker/audit/verify.ts';
import type { Database } from '../../broker/store/schema.ts';
import { BACKENDS } from '../support/databases.ts';
import { appendMany, openAuditFixture, type AuditFixture } from './support.ts';

/** Runs SQL with the guard triggers off, as a superuser attacker can. */
async function asAttacker(db: Kysely<Database>, statements: ReturnType<typeof sql>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const s of statements) await s.execute(trx);
  });
}

describe.each(BACKENDS)('tamper evidence on %s', (backend) => {
  let f: AuditFixture;
  let witness: OutsideCheckpoint;
  const verify = (outside: readonly OutsideCheckpoint[] = [witness]) =>
    verifyLog({ db: f.store.db, jwks: f.keyring.jwks, outside, pageSize: 7 });

  beforeEach(async () => {
    f = await openAuditFixture(backend, 8);
    for (let round = 0; round < 4; round++) await appendMany(f.log, 10, round * 10);
    const cp = (
      await sql<{ tree_size: number; root_hash: string }>`
        select tree_size, root_hash from audit_checkpoints order by tree_size desc limit 1`.execute(
        f.store.db,
      )
    ).rows[0]!;
    witness = { treeSize: Number(cp.tree_size), rootHash: cp.root_hash, source: 'witness checkpoint' };
  });
  afterEach(async () => {
    await f.close();
  });

  it('verifies an untouched log, also from a later seq', async () => {
    expect(await verify()).toEqual({
      ok: true,
      firstSeq: 1,
      lastSeq: 40,
      checkpoints: expect.any(Number),
      outsideChecked: 1,
    });
    const from = await verify();
    expect(from.ok).toBe(true);
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks, fromSeq: 25 })).toMatchObject({
      ok: true,
      lastSeq: 40,
    });
  });

  it('names the entry whose content was changed', async () => {
    await asAttacker(f.store.db, [
      sql`update audit_entries set body = replace(body, 'disclosed', 'denied') where seq = 17`,
    ]);
    expect(await verify()).toMatchObject({
      ok: false,
      seq: 17,
      problem: expect.stringMatching(/does not match its content/),
    });
  });

  it('names the batch when an entry and every later hash were rewritten', async () => {
    const rows = (
      await sql<{
        seq: number;
        body: string;
      }>`select seq, body from audit_entries where seq >= 17 order by seq`.execute(f.store.db)
    ).rows;
    let prev = (
      await sql<{ hash: string }>`select hash from audit_entries where seq = 16`.execute(f.store.db)
    ).rows[0]!.hash;
    const updates = rows.map((r) => {
      const body = Number(r.seq) === 17 ? r.body.replace('disclosed', 'denied') : r.body;
      const hash = chainHash(prev, body);
      const statement = sql`update audit_entries set body = ${body}, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`;
      prev = hash;
      return statement;
    });
    await asAttacker(f.store.db, updates);
    const result = await verify();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.seq).toBeLessThanOrEqual(17);
      expect(result.problem).toMatch(/do not match the signed checkpoint/);
    }
  });

  it('names a deleted entry', async () => {
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq = 9`]);
    expect(await verify()).toMatchObject({
      ok: false,
      seq: 9,
      problem: 'entry 9 is missing (the next entry is 10)',
    });
  });

  it('names an inserted entry', async () => {
    const last = (
      await sql<{ hash: string }>`select hash from audit_entries where seq = 40`.execute(f.store.db)
    ).rows[0]!;
    const body = canonicalJson({ type: 'disclosure', seq: 41, v: 1, time: new Date().toISOString() });
    await asAttacker(f.store.db, [
      sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (41, now(), 'disclosure', false, '[]'::jsonb, ${body}, ${last.hash}, ${chainHash(last.hash, body)})`,
    ]);
    expect(await verify()).toMatchObject({
      ok: false,
      seq: 41,
      problem: expect.stringMatching(/not covered by any signed checkpoint/),
    });
  });

  it('names a changed column that the hash does not cover directly', async () => {
    await asAttacker(f.store.db, [sql`update audit_entries set confidential = true where seq = 5`]);
    expect(await verify()).toMatchObject({
      ok: false,
      seq: 5,
      problem: 'its confidential column differs from the hashed body',
    });
  });

  it('detects a cut tail through its checkpoints, and through the witness when those are cut too', async () => {
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq > 33`]);
    expect(await verify([])).toMatchObject({
      ok: false,
      seq: 34,
      problem: expect.stringMatching(/tail cut/),
    });
    await asAttacker(f.store.db, [
      sql`delete from audit_checkpoints where tree_size > 33`,
      sql`delete from audit_entries where seq > 32`,
    ]);
    const cut = await verify([]);
    // Without an outside copy, a cut at a checkpoint boundary is invisible: that is why the witness exists.
    const boundary = (
      await sql<{ m: number }>`select max(tree_size) as m from audit_checkpoints`.execute(f.store.db)
    ).rows[0]!.m;
    await asAttacker(f.store.db, [sql`delete from audit_entries where seq > ${boundary}`]);
    expect((await verify([])).ok).toBe(true);
    expect(cut.ok).toBe(false);
    expect(await verify()).toMatchObject({
      ok: false,
      seq: Number(boundary) + 1,
      problem: expect.stringMatching(/witness checkpoint covers 40/),
    });
  });

  it('detects a forged checkpoint signature', async () => {
    await asAttacker(f.store.db, [
      sql`update audit_checkpoints set root_hash = ${'e'.repeat(64)} where tree_size = (select min(tree_size) from audit_checkpoints)`,
    ]);
    expect(await verify()).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/differ from what was signed/),
    });
  });
});
