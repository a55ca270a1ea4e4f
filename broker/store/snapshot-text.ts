// The statement that joins a transaction to an exported PostgreSQL snapshot, built only from a well-formed snapshot id. No dependencies: worker threads load it.

/** What pg_export_snapshot() returns, e.g. 00000003-0000001B-1. */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-\d+)?$/i;

/**
 * `set transaction snapshot '<id>'` (it takes no parameters, so the id goes into the text: it is
 * checked first). Must be the first statement of a repeatable-read transaction.
 *
 * @throws Error when `id` is not a snapshot id.
 */
export function setTransactionSnapshotSql(id: string): string {
  if (!SNAPSHOT_ID.test(id)) throw new Error(`unexpected snapshot id ${id}`);
  return `set transaction snapshot '${id}'`;
}
