// The one appender: queues records and commits them in batches (group commit), resolving each after its commit.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import {
  LogHeadMovedError,
  prepareEntry,
  writeBatch,
  type BatchResult,
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

  async function write(entries: readonly PreparedEntry[], time: Date): Promise<BatchResult> {
    const known = head !== undefined && Date.now() >= lockedUntil ? head : undefined;
    head = undefined;
    try {
      return await writeBatch(options.db, options.keyring, entries, time, known);
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
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const result = await write(
          batch.map((w) => w.entry),
          now(),
        );
        head = result.head;
        batch.forEach((w, i) =>
          w.resolve({
            seq: result.firstSeq + i,
            hash: result.hashes[i]!,
            treeSize: result.checkpoint.treeSize,
            checkpoint: result.checkpoint,
          }),
        );
        options.witness?.offer(result.checkpoint);
        options.onCommit?.(result.checkpoint, batch.length);
      } catch (error) {
        options.onFailure?.(error, batch.length);
        const failure = new AuditUnavailableError(undefined, { cause: error });
        for (const w of batch) w.reject(failure);
      }
    }
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
      return queue.length;
    },
    append(record) {
      if (closed) return Promise.reject(new AuditUnavailableError('The disclosure log is shutting down.'));
      if (queue.length >= maxQueue) {
        options.onOverload?.(queue.length);
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
