// Worker thread of the verifier: reads the pages of entries it is asked for from PostgreSQL on its own connection and checks them (verify-entries.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openSnapshotReader } from './verify-stream.ts';
import type { PageVerdict } from './verify-entries.ts';

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
  const reader = openSnapshotReader(url, snapshot);
  port.on('message', (job: PageJob) => {
    if ('close' in job) {
      void reader.close().finally(() => port.close());
      return;
    }
    const answer = async (): Promise<PageAnswer> => {
      try {
        return { id: job.id, verdict: await reader.check(job.lo, job.hi) };
      } catch (error) {
        return { id: job.id, error: error instanceof Error ? error.message : String(error) };
      }
    };
    void answer().then((a) => port.postMessage(a));
  });
}
