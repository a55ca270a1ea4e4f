// The one appender: queues records and commits them in batches (group commit), resolving each after its commit.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import {
  chainBatch,
  LogHeadMovedError,
  prepareEntry,
  writeBatch,
  writeChained,
  type BatchResult,
  type ChainedBatch,
  type PreparedEntry,
} from './batch-writer.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import type { AuditAppender, CommittedEntry } from './contract.ts';
import { validateRecord } from './entry.ts';
import { AuditUnavailableError } from './errors.ts';
import type { LogHead } from './head.ts';
import type { Keyring } from './keyring.ts';
import type { Witness } from './witness.ts';

export interface AuditLogOptions {
  readonly db: Kysely<Database>;
  readonly keyring: Keyring;
  /** Most records per transaction (default 1000). */
  readonly maxBatch?: number;
  /**
   * Most records waiting for a transaction (default 10000). A full queue refuses new records with
   * ERR_AUDIT_UNAVAILABLE at once (back-pressure) instead of growing without bound.
   */
  readonly maxQueue?: number;
  /** Called when a record is refused because the queue is full (metrics, logs). */
  readonly onOverload?: (pending: number) => void;
  /** Where the newest checkpoint is copied outside the database. */
  readonly witness?: Witness;
  /** Called after each committed batch (metrics, tests). */
  readonly onCommit?: (checkpoint: SignedCheckpoint, entries: number) => void;
  /** Called when a batch fails; the batch's callers get ERR_AUDIT_UNAVAILABLE. */
  readonly onFailure?: (error: unknown, entries: number) => void;
  readonly now?: () => Date;
}

/** How long batches take the lock after finding that another process appended. */
const CONTENDED_MS = 1_000;

/** The disclosure log's writer. */
export interface AuditLog extends AuditAppender {
  /** Records waiting for a transaction. */
  readonly pending: number;
  /** Stops taking records and resolves after the queue is written (or failed). */
  close(): Promise<void>;
}

interface Waiter {
  readonly entry: PreparedEntry;
  resolve(entry: CommittedEntry): void;
  reject(error: unknown): void;
}

/**
 * Creates the appender. `append` resolves only after the record's entry and a checkpoint covering
 * it are committed; it rejects with AuditUnavailableError (ERR_AUDIT_UNAVAILABLE) when the batch
 * could not be committed or when `maxQueue` records are already waiting, and with
 * AuditRecordInvalidError for a record the log must not hold.
 * A failed batch does not stop the appender: the next append tries again (recovery needs no restart).
 *
 * @example
 * const log = createAuditLog({ db: store.db, keyring });
 * const { seq } = await log.append({ type: 'partner.added', actor, details: { partner: 'demo-ggz' } });
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const maxBatch = options.maxBatch ?? 1000;
  const maxQueue = options.maxQueue ?? 10_000;
  const now = options.now ?? (() => new Date());
  const queue: Waiter[] = [];
  let draining: Promise<void> | undefined;
  let closed = false;
  // The head this process committed last; unknown at start and after any failure (a lost
  // connection may or may not have committed). Known, a batch is one statement without the lock.
  let head: LogHead | undefined;
  // After another process appended, batches take the lock for a while instead of colliding.
  let lockedUntil = 0;
  // While a batch is being written, the next one is chained and signed after the head it will
  // leave (no database work), and used only if that head is the one then committed. Its records
  // still count as waiting (pending, maxQueue), as they did in the queue.
  let ahead: { batch: Waiter[]; chained: Promise<ChainedBatch> } | undefined;
  const waiting = () => queue.length + (ahead?.batch.length ?? 0);

  /**
   * Writes a batch: after the known head in one statement (with `chained`, the batch chained after
   * exactly that head), or under the lock after the head it reads when the head is unknown, recently
   * contended, or moved.
   */
  async function write(
    entries: readonly PreparedEntry[],
    time: Date,
    chained: Promise<ChainedBatch> | undefined,
  ): Promise<BatchResult> {
    head = undefined;
    try {
      if (chained === undefined) return await writeBatch(options.db, options.keyring, entries, time);
      return await writeChained(options.db, await chained);
    } catch (error) {
      if (!(error instanceof LogHeadMovedError)) throw error;
      // Nothing was written: chain the same entries again after the head read under the lock.
      lockedUntil = Date.now() + CONTENDED_MS;
      return writeBatch(options.db, options.keyring, entries, time);
    }
  }

  async function drain(): Promise<void> {
    // Yield once so requests arriving in the same turn of the event loop share the transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A batch's callers are told once the next batch's statement is under way, so their
    // continuations (often new appends) run while the database works instead of before it.
    let settle: (() => void) | undefined;
    while (ahead !== undefined || queue.length > 0) {
      let batch: Waiter[];
      let chained: Promise<ChainedBatch> | undefined;
      const known = head !== undefined && Date.now() >= lockedUntil ? head : undefined;
      if (ahead !== undefined) {
        batch = ahead.batch;
        const after = await ahead.chained.then(
          (c) => c.after,
          () => undefined,
        );
        if (known !== undefined && after === known) chained = ahead.chained;
        ahead = undefined;
      } else {
        batch = queue.splice(0, maxBatch);
      }
      const entries = batch.map((w) => w.entry);
      const time = now();
      if (chained === undefined && known !== undefined)
        chained = chainBatch(options.keyring, entries, time, known);
      const writing = write(entries, time, chained);
      writing.catch(() => undefined);
      if (settle !== undefined) setImmediate(settle);
      settle = undefined;
      if (chained !== undefined && queue.length > 0) {
        const leaves = await chained.then(
          (c) => c.result.head,
          () => undefined,
        );
        if (leaves !== undefined && queue.length > 0) {
          const next = queue.splice(0, maxBatch);
          const speculative = chainBatch(
            options.keyring,
            next.map((w) => w.entry),
            now(),
            leaves,
          );
          speculative.catch(() => undefined);
          ahead = { batch: next, chained: speculative };
        }
      }
      try {
        const result = await writing;
        head = result.head;
        options.witness?.offer(result.checkpoint);
        options.onCommit?.(result.checkpoint, batch.length);
        settle = () =>
          batch.forEach((w, i) =>
            w.resolve({
              seq: result.firstSeq + i,
              hash: result.hashes[i]!,
              treeSize: result.checkpoint.treeSize,
              checkpoint: result.checkpoint,
            }),
          );
      } catch (error) {
        options.onFailure?.(error, batch.length);
        const failure = new AuditUnavailableError(undefined, { cause: error });
        for (const w of batch) w.reject(failure);
      }
    }
    settle?.();
  }

  function kick(): void {
    if (draining !== undefined) return;
    draining = drain().finally(() => {
      draining = undefined;
      if (queue.length > 0) kick();
    });
  }

  return {
    get pending() {
      return waiting();
    },
    append(record) {
      if (closed) return Promise.reject(new AuditUnavailableError('The disclosure log is shutting down.'));
      if (waiting() >= maxQueue) {
        options.onOverload?.(waiting());
        return Promise.reject(
          new AuditUnavailableError(
            'The disclosure log is overloaded; nothing was disclosed. Try again later.',
          ),
        );
      }
      let entry: PreparedEntry;
      try {
        validateRecord(record);
        // Canonicalise and hash now, in the caller's turn, so the serialised transaction only chains.
        entry = prepareEntry(record, now());
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return new Promise<CommittedEntry>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        kick();
      });
    },
    async close() {
      closed = true;
      while (draining !== undefined) await draining;
      await options.witness?.flush();
    },
  };
}
