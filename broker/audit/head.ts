// Reads the log's head (size, chain hash, Merkle frontier) inside a transaction: newest checkpoint, else tombstone, else genesis.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { GENESIS_HASH } from './hashing.ts';

/** Where the next entry continues from. */
export interface LogHead {
  readonly treeSize: number;
  readonly chainHash: string;
  readonly frontier: readonly string[];
}

/** Reads the head; call it only while holding the append lock. */
export async function readHead(db: Kysely<Database>): Promise<LogHead> {
  const checkpoint = await sql<{ tree_size: number; chain_hash: string; frontier: string[] }>`
    select tree_size, chain_hash, frontier from audit_checkpoints order by tree_size desc limit 1`.execute(
    db,
  );
  const tombstone = await sql<{ tree_size: number; chain_hash: string; frontier: string[] }>`
    select pruned_through as tree_size, chain_hash, frontier from audit_tombstones order by pruned_through desc limit 1`.execute(
    db,
  );
  const rows = [...checkpoint.rows, ...tombstone.rows].sort((a, b) => b.tree_size - a.tree_size);
  const row = rows[0];
  if (row === undefined) return { treeSize: 0, chainHash: GENESIS_HASH, frontier: [] };
  return { treeSize: Number(row.tree_size), chainHash: row.chain_hash, frontier: row.frontier };
}

/** Serialises appenders across every process sharing the database, until the transaction ends. */
export async function lockLog(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('schakel.audit.append'))`.execute(db);
}
