// The witness: the newest signed checkpoint written outside the database, so a cut tail shows.
import { mkdirSync, readFileSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { SignedCheckpoint } from './checkpoint.ts';

/** Somewhere outside the database that keeps the newest checkpoint. */
export interface Witness {
  /** Offers a newer checkpoint; written in the background, never older over newer. */
  offer(checkpoint: SignedCheckpoint): void;
  /** Resolves once every offered checkpoint is written. */
  flush(): Promise<void>;
}

/** Reads a witness file; undefined when it does not exist yet. */
export function readWitnessFile(file: string): SignedCheckpoint | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SignedCheckpoint;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The shortest time between two witness writes by default. */
export const WITNESS_INTERVAL_MS = 200;

/**
 * A witness file written atomically (temp file, fsync, rename). Several processes may share it:
 * each re-reads the file and only replaces a smaller tree size. Under load it writes the newest
 * checkpoint at most once per `minIntervalMs` (each write costs a read, an fsync and a rename);
 * `flush()` writes at once.
 *
 * @example const witness = createFileWitness('/var/lib/schakel-witness/checkpoint.json', (e) => log.warn({ err: e }));
 */
export function createFileWitness(
  file: string,
  onError: (error: unknown) => void,
  options: { readonly minIntervalMs?: number } = {},
): Witness {
  mkdirSync(path.dirname(file), { recursive: true });
  const minIntervalMs = options.minIntervalMs ?? WITNESS_INTERVAL_MS;
  let latest: SignedCheckpoint | undefined;
  let written = 0;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;

  const readOnDisk = async (): Promise<SignedCheckpoint | undefined> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as SignedCheckpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  // Asynchronous I/O: under load a batch commits every few milliseconds, and a synchronous fsync
  // here would stall every request in between.
  const writeLatest = async (): Promise<void> => {
    lastWrite = performance.now();
    const checkpoint = latest;
    if (checkpoint === undefined || checkpoint.treeSize <= written) return;
    try {
      const onDisk = await readOnDisk();
      if (onDisk !== undefined && onDisk.treeSize >= checkpoint.treeSize) {
        written = onDisk.treeSize;
        return;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(JSON.stringify(checkpoint, null, 2) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
      written = checkpoint.treeSize;
    } catch (error) {
      onError(error);
    }
  };

  const writeNow = () => {
    clearTimeout(timer);
    timer = undefined;
    running = running.then(writeLatest);
  };

  return {
    offer(checkpoint) {
      if (latest !== undefined && latest.treeSize >= checkpoint.treeSize) return;
      latest = checkpoint;
      if (timer !== undefined) return;
      // Coalesce: under load many batches commit between two writes; only the newest is written.
      timer = setTimeout(writeNow, Math.max(0, lastWrite + minIntervalMs - performance.now()));
    },
    flush() {
      if (timer !== undefined) writeNow();
      return running;
    },
  };
}
