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

/** Reads the head in one statement; call it only while holding the append lock. */
export async function readHead(db: Kysely<Database>): Promise<LogHead> {
  const { rows } = await sql<{ tree_size: number; chain_hash: string; frontier: string[] }>`
    (select tree_size, chain_hash, frontier from audit_checkpoints order by tree_size desc limit 1)
    union all
    (select pruned_through, chain_hash, frontier from audit_tombstones order by pruned_through desc limit 1)
    order by tree_size desc limit 1`.execute(db);
  const row = rows[0];
  if (row === undefined) return { treeSize: 0, chainHash: GENESIS_HASH, frontier: [] };
  return { treeSize: Number(row.tree_size), chainHash: row.chain_hash, frontier: row.frontier };
}

/** The advisory lock's name (hashed with hashtext) that serialises appenders. */
export const APPEND_LOCK = 'schakel.audit.append';

/** Serialises appenders across every process sharing the database, until the transaction ends. */
export async function lockLog(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${APPEND_LOCK}))`.execute(db);
}
