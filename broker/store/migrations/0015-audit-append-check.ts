// Migration 0015: the log's insert check finds "anything after this batch?" through the primary key instead of a scan of the whole log.
import { sql, type Kysely } from 'kysely';

/**
 * The check of 0003, with one statement changed. `exists (select 1 from audit_entries where seq >
 * (select max(seq) from inserted))` is planned once per session with the bound unknown, so a third
 * of the table is expected to match and PostgreSQL scans the table from the start for the first
 * row: every batch read the whole log (a third of PostgreSQL's CPU in the load benchmark at 30,000
 * entries, growing with the log). `max(seq)` is one step down the primary key's index; the new
 * rows are visible to the check, so an entry after the batch exists exactly when the log's highest
 * seq is above the batch's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await replaceCheck(db, sql`(select max(seq) from audit_entries) > (select max(seq) from inserted)`);
}

/** Puts back the check of 0003. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await replaceCheck(
    db,
    sql`exists (select 1 from audit_entries where seq > (select max(seq) from inserted))`,
  );
}

/** The check of 0003 with the given condition for "an entry after this batch exists". */
async function replaceCheck(db: Kysely<unknown>, entryAfterBatch: ReturnType<typeof sql>): Promise<void> {
  await sql`
    create or replace function audit_entries_check_batch() returns trigger language plpgsql as $fn$
    declare
      first_seq bigint;
      last_seq bigint;
      last_hash text;
      bad bigint;
    begin
      select min(seq) into first_seq from inserted;
      select seq, hash into last_seq, last_hash from audit_entries where seq < first_seq order by seq desc limit 1;
      if not found then
        select pruned_through, chain_hash into last_seq, last_hash
          from audit_tombstones order by pruned_through desc limit 1;
        if not found then
          last_seq := 0;
          last_hash := repeat('0', 64);
        end if;
      end if;
      if first_seq <> last_seq + 1 then
        raise exception 'audit log: seq % does not follow %', first_seq, last_seq using errcode = 'integrity_constraint_violation';
      end if;
      if ${entryAfterBatch} then
        raise exception 'audit log: entries may only be appended after the newest one' using errcode = 'integrity_constraint_violation';
      end if;
      select i.seq into bad from (
          select seq, prev_hash, hash, body,
                 coalesce(lag(seq) over w, last_seq) as before_seq,
                 coalesce(lag(hash) over w, last_hash) as before_hash
          from inserted window w as (order by seq)) i
        where i.seq <> i.before_seq + 1 or i.prev_hash <> i.before_hash
        order by i.seq limit 1;
      if found then
        raise exception 'audit log: seq % does not follow the chain (seq or prev_hash)', bad using errcode = 'integrity_constraint_violation';
      end if;
      select seq into bad from inserted
        where hash <> encode(sha256(decode(prev_hash, 'hex') || convert_to(body, 'UTF8')), 'hex')
        order by seq limit 1;
      if found then
        raise exception 'audit log: hash of seq % does not cover its body', bad using errcode = 'integrity_constraint_violation';
      end if;
      return null;
    end $fn$`.execute(db);
}
