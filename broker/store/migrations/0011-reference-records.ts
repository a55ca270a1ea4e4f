// Migration 0011: reference records, partner extracts kept in the broker's own database (keyed by pseudonym, never the BSN).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reference_records')
    .addColumn('holder_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    // The keyed pseudonym of the BSN (as the log writes it): the plain BSN is never stored here.
    .addColumn('subject_pseudonym', 'text', (c) => c.notNull())
    // The canonical record, already mapped from the partner's native extract.
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('reference_records_pk', ['holder_partner_id', 'category', 'subject_pseudonym'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reference_records').execute();
}
