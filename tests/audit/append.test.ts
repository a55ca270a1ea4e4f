// The appender: group commit, one chain, a checkpoint per batch, refusal of BSNs; on every backend.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLog } from '../../broker/audit/verify.ts';
import { BACKENDS } from '../support/databases.ts';
import { appendMany, openAuditFixture, sampleRecord, type AuditFixture } from './support.ts';

describe.each(BACKENDS)('audit appender on %s', (backend) => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await openAuditFixture(backend, 50);
  });
  afterEach(async () => {
    await f.close();
  });

  it('commits concurrent appends as consecutive seqs in batches with one checkpoint each', async () => {
    const entries = await appendMany(f.log, 230);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 230 }, (_, i) => i + 1),
    );
    for (const e of entries) expect(e.treeSize).toBeGreaterThanOrEqual(e.seq);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_checkpoints`.execute(
      f.store.db,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(5);
    expect(rows[0]!.n).toBeLessThan(230);
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
      ok: true,
      lastSeq: 230,
    });
  });

  it('continues the chain across appenders and restarts', async () => {
    await appendMany(f.log, 10);
    await f.log.close();
    const { createAuditLog } = await import('../../broker/audit/appender.ts');
    const second = createAuditLog({ db: f.store.db, keyring: f.keyring });
    const more = await appendMany(second, 10, 10);
    expect(Math.min(...more.map((e) => e.seq))).toBe(11);
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
      ok: true,
      lastSeq: 20,
    });
  });

  it('refuses a record holding a BSN and commits nothing for it', async () => {
    await expect(f.log.append(sampleRecord(1, { details: { note: 'bsn 111222333' } }))).rejects.toMatchObject(
      {
        code: 'ERR_AUDIT_RECORD_INVALID',
      },
    );
    await appendMany(f.log, 1);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_entries`.execute(
      f.store.db,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('never stores the subject as anything but the given pseudonym', async () => {
    await f.log.append(sampleRecord(3, { subjectPseudonym: 'p1.abc' }));
    const { rows } = await sql<{ body: string }>`select body from audit_entries`.execute(f.store.db);
    expect(rows[0]!.body).toContain('"subjectPseudonym":"p1.abc"');
  });

  it('refuses UPDATE, DELETE and TRUNCATE by the application', async () => {
    await appendMany(f.log, 3);
    await expect(sql`update audit_entries set type = 'x' where seq = 2`.execute(f.store.db)).rejects.toThrow(
      /not allowed/,
    );
    await expect(sql`delete from audit_entries where seq = 3`.execute(f.store.db)).rejects.toThrow(
      /not allowed/,
    );
    await expect(sql`truncate audit_entries`.execute(f.store.db)).rejects.toThrow(/not allowed/);
    await expect(sql`update audit_checkpoints set root_hash = 'x'`.execute(f.store.db)).rejects.toThrow(
      /not allowed/,
    );
    await expect(sql`delete from audit_checkpoints`.execute(f.store.db)).rejects.toThrow(/not allowed/);
  });

  it('refuses an insert whose seq or hash does not follow', async () => {
    await appendMany(f.log, 2);
    const last = (
      await sql<{ hash: string }>`select hash from audit_entries where seq = 2`.execute(f.store.db)
    ).rows[0]!;
    const insert = (seq: number, prev: string, hash: string) =>
      sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (${seq}, now(), 'x', false, '[]'::jsonb, '{}', ${prev}, ${hash})`.execute(f.store.db);
    await expect(insert(4, last.hash, 'c'.repeat(64))).rejects.toThrow(/does not follow/);
    await expect(insert(3, 'd'.repeat(64), 'c'.repeat(64))).rejects.toThrow(/prev_hash/);
    await expect(insert(3, last.hash, 'c'.repeat(64))).rejects.toThrow(/does not cover its body/);
  });

  it('refuses an insert into a gap before the newest entry', async () => {
    await appendMany(f.log, 3);
    const rows = (
      await sql<{ seq: number; prev_hash: string; hash: string; body: string }>`
        select seq::int as seq, prev_hash, hash, body from audit_entries where seq = 2`.execute(f.store.db)
    ).rows;
    const second = rows[0]!;
    // Only with the guard triggers off (as no application role can) does a gap appear.
    await f.store.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from audit_entries where seq = 2`.execute(trx);
    });
    await expect(
      sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (2, now(), 'x', false, '[]'::jsonb, ${second.body}, ${second.prev_hash}, ${second.hash})`.execute(
        f.store.db,
      ),
    ).rejects.toThrow(/only be appended after the newest/);
  });

  // PGlite does not count a transaction's scans in pg_stat_xact_user_tables as it runs.
  it.runIf(backend === 'postgres')('checks a batch without reading the whole log', async () => {
    // Enough entries, with statistics, that PostgreSQL plans as for a real log.
    const entries = await appendMany(f.log, 3000);
    await sql`analyze audit_entries`.execute(f.store.db);
    const last = entries.reduce((a, b) => (b.seq > a.seq ? b : a));
    const body = '{"x":1}';
    // The counters of this session, before and after the insert (its check's statements run in it).
    const scans = await f.store.db
      .transaction()
      .execute(async (trx) => {
        const count = async () =>
          Number(
            (
              await sql<{ seq_scan: string }>`
                select seq_scan::text from pg_stat_xact_user_tables where relname = 'audit_entries'`.execute(
                trx,
              )
            ).rows[0]?.seq_scan ?? Number.NaN,
          );
        const before = await count();
        await sql`insert into audit_entries (seq, recorded_at, type, confidential, parties, body, prev_hash, hash)
          values (${last.seq + 1}, now(), 'x', false, '[]'::jsonb, ${body}, ${last.hash},
                  encode(sha256(decode(${last.hash}, 'hex') || convert_to(${body}, 'UTF8')), 'hex'))`.execute(
          trx,
        );
        throw Object.assign(new Error('roll back'), { scans: (await count()) - before });
      })
      .catch((error: { scans?: number }) => error.scans);
    expect(scans).toBe(0);
  });

  it('grants the application role INSERT and SELECT only', async () => {
    const { rows } = await sql<{ privilege_type: string }>`
      select privilege_type from information_schema.role_table_grants
      where grantee = 'schakel_app' and table_name = 'audit_entries' order by privilege_type`.execute(
      f.store.db,
    );
    expect(rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });
});
