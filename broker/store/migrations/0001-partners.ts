// Migration 0001: the partner registry and the people who sign in to the pages.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z0-9][a-z0-9-]{1,62}$'`))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('ggz','politie','om','kmar','dkdb','aivd','veiligheidshuis')`),
    )
    .addColumn('identifier_type', 'text', (c) => c.notNull().check(sql`identifier_type in ('oin','ura')`))
    .addColumn('identifier', 'text', (c) => c.notNull().check(sql`identifier ~ '^[0-9]{8,20}$'`))
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('national', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('token_jwks', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('partners_identity_unique', ['identifier_type', 'identifier', 'unit'])
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('people').execute();
  await db.schema.dropTable('partners').execute();
}
