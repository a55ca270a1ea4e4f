// Migration 0006: privacy officers' reviews of break-glass uses (rule 6: every use reviewed within 72 hours).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('breakglass_reviews')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('info_requests.id'))
    .addColumn('verdict', 'text', (c) =>
      c.notNull().check(sql`verdict in ('gerechtvaardigd','niet_gerechtvaardigd')`),
    )
    .addColumn('toelichting', 'text')
    .addColumn('reviewed_by_person', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('breakglass_reviews').execute();
}
