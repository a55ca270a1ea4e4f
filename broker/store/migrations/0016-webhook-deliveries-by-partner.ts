// Migration 0016: a holder's pending review notices (the outbox bounds its queue per holder, the worker picks each holder's due notices).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // With only (status, next_attempt_at), counting one holder's pending notices read every pending
  // notice of every holder on each new review.
  await db.schema
    .createIndex('webhook_deliveries_partner_idx')
    .on('webhook_deliveries')
    .columns(['partner_id', 'status', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_partner_idx').execute();
}
