// Migration 0004: cases, their members and structured events, and the consents holders record.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_pseudonym', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('phase', 'text', (c) =>
      c.notNull().check(sql`phase in ('melding','informatie','aanpak','monitoring','gesloten')`),
    )
    .addColumn('lead_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('emergency', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('takeover_due_at', 'timestamptz')
    .addColumn('opened_by_user', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cases_subject_idx').on('cases').column('subject_pseudonym').execute();

  await db.schema
    .createTable('case_members')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_by_user', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_members_pk', ['case_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('medical', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('recorded_by_partner', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('recorded_by_user', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'seq']).execute();
  await db.schema
    .createIndex('case_events_type_idx')
    .on('case_events')
    .columns(['type', 'recorded_at'])
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_pseudonym', 'text', (c) => c.notNull())
    .addColumn('holder_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('granted_by', 'text', (c) =>
      c.notNull().check(sql`granted_by in ('betrokkene','vertegenwoordiger')`),
    )
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('recipients', 'jsonb', (c) => c.notNull())
    .addColumn('purposes', 'jsonb', (c) => c.notNull())
    .addColumn('categories', 'jsonb', (c) => c.notNull())
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by_user', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by_user', 'text')
    .execute();
  await db.schema.createIndex('consents_subject_idx').on('consents').column('subject_pseudonym').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['consents', 'case_events', 'case_members', 'cases']) {
    await db.schema.dropTable(table).execute();
  }
}
