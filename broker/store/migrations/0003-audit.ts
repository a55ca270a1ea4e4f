// Migration 0003: the disclosure log (entries, checkpoints, tombstones, receipts), its guard triggers and grants.
import { sql, type Kysely } from 'kysely';

/**
 * Roles: `schakel_app` may only INSERT and SELECT the log; `schakel_audit_maintenance` may delete a
 * pruned prefix after a signed tombstone. Both are NOLOGIN group roles; production grants them to
 * its login roles (see docs/audit.md). Creating a role that exists is tolerated (roles are cluster-wide).
 */
const ROLES = ['schakel_app', 'schakel_audit_maintenance'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const role of ROLES) {
    await sql
      .raw(
        `do $$ begin
           if not exists (select 1 from pg_roles where rolname = '${role}') then create role ${role} nologin; end if;
         exception when duplicate_object or unique_violation then null;
         end $$`,
      )
      .execute(db);
  }

  await sql`
    create table audit_entries (
      seq bigint primary key check (seq > 0),
      recorded_at timestamptz not null,
      type text not null,
      confidential boolean not null,
      parties jsonb not null,
      requester text,
      holder text,
      subject_pseudonym text,
      body text not null,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index audit_entries_subject on audit_entries (subject_pseudonym) where subject_pseudonym is not null`.execute(
    db,
  );
  await sql`create index audit_entries_recorded on audit_entries (recorded_at)`.execute(db);

  await sql`
    create table audit_checkpoints (
      tree_size bigint primary key check (tree_size > 0),
      root_hash text not null,
      chain_hash text not null,
      frontier jsonb not null,
      issued_at timestamptz not null,
      kid text not null,
      jws text not null
    )`.execute(db);

  await sql`
    create table audit_tombstones (
      pruned_through bigint primary key check (pruned_through > 0),
      root_hash text not null,
      chain_hash text not null,
      frontier jsonb not null,
      issued_at timestamptz not null,
      kid text not null,
      jws text not null
    )`.execute(db);

  await sql`
    create table audit_receipts (
      id text primary key,
      request_id text not null,
      requester text not null,
      max_seq bigint not null,
      created_at timestamptz not null default now(),
      jws text not null
    )`.execute(db);

  // NOTE: this check is what keeps one chain when several broker processes share the database:
  // an insert whose seq, previous hash or own hash does not follow is refused. It runs once per
  // statement over the whole batch (a transition table), which is several times cheaper than per row.
  await sql`
    create function audit_entries_check_batch() returns trigger language plpgsql as $fn$
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
      if exists (select 1 from audit_entries where seq > (select max(seq) from inserted)) then
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

  await sql`
    create function audit_refuse_change() returns trigger language plpgsql as $fn$
    begin
      raise exception 'audit log: % on % is not allowed', tg_op, tg_table_name using errcode = 'insufficient_privilege';
    end $fn$`.execute(db);

  // Retention: only the maintenance role, only entries a signed tombstone already covers.
  await sql`
    create function audit_entries_guard_delete() returns trigger language plpgsql as $fn$
    begin
      if current_user = 'schakel_audit_maintenance'
         and exists (select 1 from audit_tombstones where pruned_through >= old.seq) then
        return old;
      end if;
      raise exception 'audit log: deleting seq % is not allowed (only the maintenance role, after a tombstone)', old.seq
        using errcode = 'insufficient_privilege';
    end $fn$`.execute(db);

  await sql`create trigger audit_entries_insert after insert on audit_entries referencing new table as inserted
            for each statement execute function audit_entries_check_batch()`.execute(db);
  await sql`create trigger audit_entries_update before update on audit_entries for each row execute function audit_refuse_change()`.execute(
    db,
  );
  await sql`create trigger audit_entries_delete before delete on audit_entries for each row execute function audit_entries_guard_delete()`.execute(
    db,
  );
  for (const table of ['audit_entries', 'audit_checkpoints', 'audit_tombstones', 'audit_receipts']) {
    await sql
      .raw(
        `create trigger ${table}_truncate before truncate on ${table} for each statement execute function audit_refuse_change()`,
      )
      .execute(db);
    if (table === 'audit_entries') continue;
    await sql
      .raw(
        `create trigger ${table}_update before update or delete on ${table} for each row execute function audit_refuse_change()`,
      )
      .execute(db);
  }

  await sql`revoke all on audit_entries, audit_checkpoints, audit_tombstones, audit_receipts from public`.execute(
    db,
  );
  await sql`grant select, insert on audit_entries, audit_checkpoints, audit_receipts to schakel_app`.execute(
    db,
  );
  await sql`grant select on audit_tombstones to schakel_app`.execute(db);
  await sql`grant select, delete on audit_entries to schakel_audit_maintenance`.execute(db);
  await sql`grant select on audit_checkpoints to schakel_audit_maintenance`.execute(db);
  await sql`grant select, insert on audit_tombstones to schakel_audit_maintenance`.execute(db);
}

export function down(): Promise<void> {
  // The disclosure log is never dropped by a migration.
  return Promise.reject(
    new Error('migration 0003-audit cannot be reverted: the disclosure log is append-only'),
  );
}
