// Migration 0013: reviews found by their request (GET /v1/requests/{id} and the request flow look them up so).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('reviews_request_idx').on('reviews').columns(['request_id', 'idx']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reviews_request_idx').execute();
}
