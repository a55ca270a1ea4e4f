// Migration 0007: policy proposals and revisions, four-eyes approvals, activations, and retained decision inputs.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_revisions')
    .addColumn('revision', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('baseline','catalogue','rego','bundle')`),
    )
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('base_revision', 'text')
    .addColumn('author_person', 'text', (c) => c.notNull())
    .addColumn('author_partner', 'text')
    // The archive as built (unsigned) or uploaded (signed), base64; null when the build failed.
    .addColumn('bundle', 'text')
    // The same archive signed with the broker's policy key, set on (first) activation.
    .addColumn('signed_bundle', 'text')
    // The non-test Rego sources and the catalogue as written (opa build drops comments from the bundle's copy).
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addColumn('build', 'jsonb', (c) => c.notNull())
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    // Partner kinds whose categories the change touches and whose privacy officer must approve.
    .addColumn('holder_kinds', 'jsonb', (c) => c.notNull())
    .addColumn('replay', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('policy_approvals')
    .addColumn('revision', 'text', (c) => c.notNull().references('policy_revisions.revision'))
    // Approvals count for one activation round: re-activating (rolling back to) a revision needs new ones.
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('partner_kind', 'text', (c) => c.notNull())
    .addColumn('tests_acknowledged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('comment', 'text')
    .addColumn('approved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('policy_approvals_pk', ['revision', 'round', 'person_id'])
    .execute();

  await db.schema
    .createTable('policy_activations')
    .addColumn('seq', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('revision', 'text', (c) => c.notNull().references('policy_revisions.revision'))
    .addColumn('previous_revision', 'text')
    .addColumn('activated_by', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('policy_decision_inputs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revision', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('requester_partner_id', 'text', (c) => c.notNull())
    .addColumn('requester_kind', 'text', (c) => c.notNull())
    .addColumn('holder_partner_id', 'text', (c) => c.notNull())
    .addColumn('holder_kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('permit','deny','review')`))
    // Rule 4: confidential processing (AIVD) is left out of replays for everyone but the AIVD.
    .addColumn('confidential', 'boolean', (c) => c.notNull())
    .addColumn('input_hash', 'text', (c) => c.notNull())
    // The policy input with pseudonyms only; free text is replaced by a placeholder.
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('policy_decision_inputs_decided_at')
    .on('policy_decision_inputs')
    .column('decided_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_decision_inputs').execute();
  await db.schema.dropTable('policy_activations').execute();
  await db.schema.dropTable('policy_approvals').execute();
  await db.schema.dropTable('policy_revisions').execute();
}
