// The witness: the newest signed checkpoint written outside the database, so a cut tail shows.
import { readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, mkdirSync } from 'node:fs';
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

/**
 * A witness file written atomically (temp file, fsync, rename). Several processes may share it:
 * each re-reads the file and only replaces a smaller tree size.
 *
 * @example const witness = createFileWitness('/var/lib/schakel-witness/checkpoint.json', (e) => log.warn({ err: e }));
 */
export function createFileWitness(file: string, onError: (error: unknown) => void): Witness {
  mkdirSync(path.dirname(file), { recursive: true });
  let latest: SignedCheckpoint | undefined;
  let written = 0;
  let running: Promise<void> = Promise.resolve();
  let scheduled = false;

  const writeLatest = (): void => {
    scheduled = false;
    const checkpoint = latest;
    if (checkpoint === undefined || checkpoint.treeSize <= written) return;
    try {
      const onDisk = readWitnessFile(file);
      if (onDisk !== undefined && onDisk.treeSize >= checkpoint.treeSize) {
        written = onDisk.treeSize;
        return;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(checkpoint, null, 2) + '\n');
      const fd = openSync(tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, file);
      written = checkpoint.treeSize;
    } catch (error) {
      onError(error);
    }
  };

  return {
    offer(checkpoint) {
      if (latest !== undefined && latest.treeSize >= checkpoint.treeSize) return;
      latest = checkpoint;
      if (scheduled) return;
      scheduled = true;
      // Coalesce: under load many batches commit between two writes; only the newest is written.
      running = running.then(
        () => new Promise<void>((resolve) => setImmediate(() => (writeLatest(), resolve()))),
      );
    },
    flush: () => running,
  };
}
