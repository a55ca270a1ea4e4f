// Migration 0005: information requests, their items (outcomes only, never disclosed values) and review queue.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('info_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('requester_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('requester_user', 'text', (c) => c.notNull())
    .addColumn('requester_role', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject_pseudonym', 'text', (c) => c.notNull())
    // The BSN sealed (AES-256-GCM) while reviews are pending, so a released item can be fetched; cleared after.
    .addColumn('sealed_subject', 'text')
    .addColumn('justification', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('request_items')
    .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('holder_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c
        .notNull()
        .check(sql`outcome in ('disclosed','denied','pending_review','refused','not_found','error')`),
    )
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('legal_basis', 'text')
    .addColumn('log_seq', 'bigint')
    .addColumn('answered_at', 'timestamptz')
    .addPrimaryKeyConstraint('request_items_pk', ['request_id', 'idx'])
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('holder_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('reviewer_role', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('requester_partner_id', 'text', (c) => c.notNull())
    .addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('basis_consent_ids', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','released','refused','cancelled')`),
    )
    .addColumn('decision', 'jsonb')
    .addColumn('decided_by_user', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('reviews_holder_status_idx')
    .on('reviews')
    .columns(['holder_partner_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reviews', 'request_items', 'info_requests'])
    await db.schema.dropTable(table).execute();
}
