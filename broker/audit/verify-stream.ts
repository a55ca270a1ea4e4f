// Reads pages of entries from PostgreSQL on a connection of its own, in the verifier's snapshot, checking each row as it arrives and keeping none.
import pg from 'pg';
import { setTransactionSnapshotSql } from '../store/snapshot-text.ts';
import { PAGE_QUERY, PageChecker, type EntryRow, type PageVerdict } from './verify-entries.ts';

/**
 * For the verifying transaction and each reader's, this transaction only: the exporting one waits
 * while others read its snapshot, and a reader waits between pages, so a server's short idle or
 * transaction timeout must not end them; an hour still ends one left behind by a hung run (a
 * snapshot held open holds back vacuum). Settings the server lacks (transaction_timeout before
 * PostgreSQL 17) are skipped.
 */
export const ALLOW_LONG_SNAPSHOT_SQL = `select set_config(name, '1h', true) from pg_settings
  where name in ('idle_in_transaction_session_timeout', 'transaction_timeout')`;

/** How long a page may go unanswered: one of 10,000 entries reads in well under a second. */
export const PAGE_TIMEOUT_MS = 5 * 60_000;

/** Pages read and checked on one connection, in the order asked. */
export interface SnapshotReader {
  /** The verdict for the entries with lo < seq <= hi. Rejects when they cannot be read. */
  check(lo: number, hi: number): Promise<PageVerdict>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens a connection to the PostgreSQL at `url` in one read-only transaction that imports
 * `snapshot` (pg_export_snapshot() of the verifying transaction, which must stay open meanwhile),
 * so every page is read as the log stood when the verification began. Plain pg, no Kysely: worker
 * threads use it too, and each one's start-up counts.
 */
export function openSnapshotReader(
  url: string,
  snapshot: string,
  options: { readonly pageTimeoutMs?: number } = {},
): SnapshotReader {
  const timeoutMs = options.pageTimeoutMs ?? PAGE_TIMEOUT_MS;
  // A server that stops answering must not hang the verification: the main pool's connect timeout.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
  // A lost server must not crash the process: the pending query rejects and is reported.
  client.on('error', () => undefined);
  const connected = client.connect().then(async () => {
    await client.query('begin isolation level repeatable read read only');
    await client.query(setTransactionSnapshotSql(snapshot));
    await client.query(ALLOW_LONG_SNAPSHOT_SQL);
  });
  connected.catch(() => undefined);
  return {
    async check(lo, hi) {
      try {
        // Not pg's query_timeout: it gives the query a callback, and a Query with one collects its rows.
        return await withinDeadline(client, timeoutMs, async () => {
          await connected;
          return checkStreamed(client, lo, hi);
        });
      } catch (error) {
        throw new Error(`reading entries failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Runs `work` on the client, or rejects after `ms` and cuts the connection: a network that silently
 * drops everything sends no reset, so only a timer notices a server that stopped answering.
 */
async function withinDeadline<T>(client: pg.Client, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer from PostgreSQL within ${ms} ms`));
      // Ends the connection at once when a query is under way (pg destroys the socket then).
      void client.end().catch(() => undefined);
    }, ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Each row goes to the checker as it is parsed: a page of rows held until its end was copied by
 * each young-generation collection on the way (bench/README.md).
 */
function checkStreamed(client: pg.Client, lo: number, hi: number): Promise<PageVerdict> {
  const checker = new PageChecker();
  return new Promise<PageVerdict>((resolve, reject) => {
    // A Query with a row listener and no callback hands over each row and does not collect them.
    const query = new pg.Query<EntryRow>(PAGE_QUERY, [lo, hi]);
    query.on('row', (row: EntryRow) => checker.add(row));
    query.on('end', () => resolve(checker.verdict()));
    query.on('error', reject);
    void client.query(query);
  });
}
