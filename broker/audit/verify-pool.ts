// Worker threads for the verifier: each reads pages of entries from PostgreSQL itself and checks them, so the main thread only links the pages.
import { Worker } from 'node:worker_threads';
import type { PageVerdict } from './verify-entries.ts';
import type { PageAnswer, PageJob, VerifyWorkerData } from './verify-worker.ts';

/** Reads and checks pages on worker threads; each promise answers for its own page, in any order. */
export interface PagePool {
  /** The verdict for the entries with lo < seq <= hi. Rejects when the page cannot be read. */
  check(lo: number, hi: number): Promise<PageVerdict>;
  /** Stops the workers and closes their connections; pages still outstanding reject. */
  close(): Promise<void>;
}

interface Pending {
  resolve(verdict: PageVerdict): void;
  reject(error: Error): void;
}

/**
 * Starts `workers` worker threads, each with its own connection to the PostgreSQL at `url`, reading
 * in `snapshot` (pg_export_snapshot() of the verifying transaction, which must stay open meanwhile)
 * (PGlite lives in this thread and cannot be shared: verify it without workers). Pages go
 * round-robin, one message each way per page.
 *
 * @example
 * const pool = createPagePool(2, url, snapshot);
 * try { const verdict = await pool.check(0, 10_000); } finally { await pool.close(); }
 */
export function createPagePool(workers: number, url: string, snapshot: string): PagePool {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const data: VerifyWorkerData = { url, snapshot };
  const threads = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./verify-worker.ts', import.meta.url), { workerData: data });
    worker.on('message', (answer: PageAnswer) => {
      const p = pending.get(answer.id);
      if (p === undefined) return;
      pending.delete(answer.id);
      // The worker's reader already says what failed ("reading entries failed: ...").
      if ('error' in answer) p.reject(new Error(answer.error));
      else p.resolve(answer.verdict);
    });
    worker.on('error', (error) => fail(error));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        fail(new Error(`a verifier worker stopped (exit code ${code})`));
        resolve();
      }),
    );
    return { worker, exited };
  });
  return {
    check(lo, hi) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<PageVerdict>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const job: PageJob = { id, lo, hi };
        threads[id % threads.length]!.worker.postMessage(job);
      });
    },
    async close() {
      // Ask each worker to close its connection and stop; one that does not within a second is ended.
      await Promise.all(
        threads.map(async ({ worker, exited }) => {
          worker.postMessage({ close: true } satisfies PageJob);
          const timer = setTimeout(() => void worker.terminate(), 1_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
