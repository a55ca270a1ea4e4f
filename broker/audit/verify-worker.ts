// Worker thread of the verifier: reads the pages of entries it is asked for from PostgreSQL on its own connection and checks them (verify-entries.ts).
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { setTransactionSnapshotSql } from '../store/snapshot-text.ts';
import { checkPage, PAGE_QUERY, type EntryRow, type PageVerdict } from './verify-entries.ts';

/** What a worker is started with. */
export interface VerifyWorkerData {
  readonly url: string;
  /** The verifying transaction's snapshot: every page is read as the log stood when it began. */
  readonly snapshot: string;
}

/** A page a worker is asked for (the entries with lo < seq <= hi), or the request to close its connection and stop. */
export type PageJob =
  { readonly id: number; readonly lo: number; readonly hi: number } | { readonly close: true };

/** A worker's answer: the page's verdict, or why it could not be read. */
export type PageAnswer =
  { readonly id: number; readonly verdict: PageVerdict } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port !== null) {
  const { url, snapshot } = workerData as VerifyWorkerData;
  // A server that stops answering must not hang the verification: the main pool's connect timeout.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A lost server must not crash the thread: the pending query rejects and is answered as an error.
  client.on('error', () => undefined);
  // One read-only transaction in the verifier's snapshot for all pages.
  const connected = client.connect().then(async () => {
    await client.query('begin isolation level repeatable read read only');
    await client.query(setTransactionSnapshotSql(snapshot));
  });
  connected.catch(() => undefined);
  port.on('message', (job: PageJob) => {
    if ('close' in job) {
      void client
        .end()
        .catch(() => undefined)
        .finally(() => port.close());
      return;
    }
    const answer = async (): Promise<PageAnswer> => {
      try {
        await connected;
        const { rows } = await client.query<EntryRow>(PAGE_QUERY, [job.lo, job.hi]);
        return { id: job.id, verdict: checkPage(rows) };
      } catch (error) {
        return { id: job.id, error: error instanceof Error ? error.message : String(error) };
      }
    };
    void answer().then((a) => port.postMessage(a));
  });
}
