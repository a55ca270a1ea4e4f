// Sharing one PostgreSQL snapshot between connections: export it from one transaction, import it in others.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { setTransactionSnapshotSql } from './snapshot-text.ts';

/**
 * This transaction's snapshot id (pg_export_snapshot()), valid while the transaction stays open.
 * Other connections join it with importSnapshot.
 */
export async function exportSnapshot(trx: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  const id = rows[0]?.id ?? '';
  setTransactionSnapshotSql(id); // throws for anything that is not a snapshot id
  return id;
}

/** Makes `trx` (a repeatable-read transaction, before its first other statement) read the exported snapshot `id`. */
export async function importSnapshot(trx: Kysely<Database>, id: string): Promise<void> {
  await sql.raw(setTransactionSnapshotSql(id)).execute(trx);
}
