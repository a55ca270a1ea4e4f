// Verifies the log: the hash chain, the Merkle roots and signatures of every checkpoint, and an outside checkpoint.
import { availableParallelism } from 'node:os';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { exportSnapshot } from '../store/snapshot.ts';
import { CHECKPOINT_TYP, TOMBSTONE_TYP, createCheckpointVerifier, type TreeHead } from './checkpoint.ts';
import { GENESIS_HASH } from './hashing.ts';
import type { Jwks } from './keyring.ts';
import { Frontier } from './merkle.ts';
import { checkPage, PAGE_QUERY, type EntryRow, type PageVerdict } from './verify-entries.ts';
import { createPagePool } from './verify-pool.ts';
import { ALLOW_LONG_SNAPSHOT_SQL, openSnapshotReader } from './verify-stream.ts';

/** A checkpoint held outside the database (witness file, or one a partner got in a receipt). */
export interface OutsideCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly source: string;
}

export interface VerifyOptions {
  readonly db: Kysely<Database>;
  /** Public keys (current and retired) that sign checkpoints. */
  readonly jwks: Jwks;
  /** Start at this seq (from the nearest checkpoint before it) instead of the beginning. */
  readonly fromSeq?: number;
  /** Signature-checked checkpoints from outside the database; the log must contain each as a prefix. */
  readonly outside?: readonly OutsideCheckpoint[];
  readonly onProgress?: (verified: number, total: number) => void;
  readonly pageSize?: number;
  /**
   * The same PostgreSQL database as `db`, for worker threads that read and check pages on their
   * own connections while this thread links them. Without it (PGlite) everything runs here.
   */
  readonly postgresUrl?: string;
  /**
   * Worker threads (with `postgresUrl`). With one, this thread checks every other page itself as
   * well as linking them; with more it only links them. Default: defaultWorkers() when more than
   * WORKERS_FROM entries are to be checked, else none. Any count gives the same result.
   */
  readonly workers?: number;
}

/** Below this many entries to check, starting workers costs more than they save. */
export const WORKERS_FROM = 50_000;

/**
 * Workers by default on a large log with `cores` cores: two from three cores up; on two cores one,
 * beside this thread checking half the pages (two workers there left this thread mostly idle
 * while three threads and the database server shared two cores; bench/README.md has the figures).
 */
export function defaultWorkers(cores: number): number {
  if (cores >= 3) return 2;
  return cores === 2 ? 1 : 0;
}

/** The outcome. On failure `seq` is the first bad sequence number (or the size the log should have). */
export type VerifyResult =
  | {
      readonly ok: true;
      readonly firstSeq: number;
      readonly lastSeq: number;
      readonly checkpoints: number;
      readonly outsideChecked: number;
    }
  | { readonly ok: false; readonly seq: number; readonly problem: string };

interface CheckpointRow {
  tree_size: number;
  root_hash: string;
  chain_hash: string;
  jws: string;
}

class Broken extends Error {
  readonly seq: number;
  readonly problem: string;
  constructor(seq: number, problem: string) {
    super(problem);
    this.seq = seq;
    this.problem = problem;
  }
}

/**
 * Recomputes everything a reader can check. Never throws for a broken log: returns `ok: false`
 * naming the first bad seq and what is wrong. Throws only for database errors.
 *
 * Everything is read in one snapshot (a read-only repeatable-read transaction, which worker threads
 * import), so a log that is being written while it is verified is checked as it stood when the
 * verification began: entries committed later (with their checkpoints) are not half seen, which
 * read one by one raised false alarms such as "not covered by any signed checkpoint".
 */
export async function verifyLog(options: VerifyOptions): Promise<VerifyResult> {
  try {
    return await options.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await sql.raw(ALLOW_LONG_SNAPSHOT_SQL).execute(trx);
        return run({ ...options, db: trx });
      });
  } catch (error) {
    if (error instanceof Broken) return { ok: false, seq: error.seq, problem: error.problem };
    throw error;
  }
}

async function run(options: VerifyOptions): Promise<VerifyResult> {
  const { db } = options;
  const verifier = createCheckpointVerifier(options.jwks);
  const checkSigned = async (jws: string, typ: string, stored: TreeHead, what: string): Promise<void> => {
    const result = await verifier.verify(jws, typ);
    if (!result.ok) throw new Broken(stored.treeSize, `${what}: ${result.reason}`);
    const h = result.head;
    if (
      h.treeSize !== stored.treeSize ||
      h.rootHash !== stored.rootHash ||
      h.chainHash !== stored.chainHash
    ) {
      throw new Broken(stored.treeSize, `${what}: the stored columns differ from what was signed`);
    }
  };

  // The anchor: genesis, the newest retention tombstone, or the checkpoint just before --from.
  let frontier = new Frontier();
  let running = GENESIS_HASH;
  const tomb = (
    await sql<CheckpointRow & { frontier: string[] }>`
      select pruned_through as tree_size, root_hash, chain_hash, frontier, jws from audit_tombstones
      order by pruned_through desc limit 1`.execute(db)
  ).rows[0];
  const anchor = async (row: CheckpointRow & { frontier: string[] }, typ: string, what: string) => {
    const size = Number(row.tree_size);
    await checkSigned(
      row.jws,
      typ,
      { treeSize: size, rootHash: row.root_hash, chainHash: row.chain_hash, issuedAt: '' },
      what,
    );
    frontier = Frontier.fromHex(size, row.frontier);
    if (frontier.root().toString('hex') !== row.root_hash)
      throw new Broken(size, `${what}: its frontier does not give its root`);
    running = row.chain_hash;
  };
  if (tomb !== undefined)
    await anchor(tomb, TOMBSTONE_TYP, `retention tombstone through seq ${tomb.tree_size}`);
  // The log starts at seq 1 and the walk reads after its anchor: an entry below 1 was put there.
  const below = // A parameter, not a literal: compared in the column's own type even if that was changed.
    (
      await sql<{ seq: string }>`select seq from audit_entries where seq < ${1} order by seq limit 1`.execute(
        db,
      )
    ).rows[0];
  if (below !== undefined)
    throw new Broken(
      Number(below.seq),
      `an entry lies at seq ${below.seq}, before the log's first entry (seq 1)`,
    );
  if (options.fromSeq !== undefined && options.fromSeq - 1 > frontier.size) {
    const start = (
      await sql<CheckpointRow & { frontier: string[] }>`
        select tree_size, root_hash, chain_hash, frontier, jws from audit_checkpoints
        where tree_size <= ${options.fromSeq - 1} and tree_size > ${frontier.size}
        order by tree_size desc limit 1`.execute(db)
    ).rows[0];
    if (start !== undefined) await anchor(start, CHECKPOINT_TYP, `checkpoint of size ${start.tree_size}`);
  }
  const firstSeq = frontier.size + 1;

  const checkpoints = (
    await sql<CheckpointRow>`
      select tree_size, root_hash, chain_hash, jws from audit_checkpoints
      where tree_size > ${frontier.size} order by tree_size`.execute(db)
  ).rows.map((r) => ({ ...r, tree_size: Number(r.tree_size) }));
  // Signatures are checked in chunks in parallel (WebCrypto runs off the main thread).
  for (let i = 0; i < checkpoints.length; i += 256) {
    await Promise.all(
      checkpoints
        .slice(i, i + 256)
        .map((c) =>
          checkSigned(
            c.jws,
            CHECKPOINT_TYP,
            { treeSize: c.tree_size, rootHash: c.root_hash, chainHash: c.chain_hash, issuedAt: '' },
            `checkpoint of size ${c.tree_size}`,
          ),
        ),
    );
  }

  const outside = [...(options.outside ?? [])].sort((a, b) => a.treeSize - b.treeSize);
  let outsideChecked = 0;
  const total = checkpoints.at(-1)?.tree_size ?? frontier.size;
  let nextCheckpoint = 0;
  let lastCheckedSize = frontier.size;
  const checkOutsideAt = (size: number) => {
    for (const o of outside) {
      if (o.treeSize !== size) continue;
      if (frontier.root().toString('hex') !== o.rootHash) {
        throw new Broken(
          size,
          `the log's first ${size} entries differ from the ${o.source} (root hash differs)`,
        );
      }
      outsideChecked += 1;
    }
  };
  checkOutsideAt(frontier.size);

  // Pages are ranges of seq, so each can be read and checked on its own (on a worker thread):
  // everything inside a page is checked there; the walk here checks what links each page to the
  // entry before it and the Merkle tree over all of them, page by page in order.
  const pageSize = options.pageSize ?? 10_000;
  const requested =
    options.workers ?? (total - frontier.size > WORKERS_FROM ? defaultWorkers(availableParallelism()) : 0);
  const workers =
    options.postgresUrl === undefined ? 0 : Math.max(0, Math.min(requested, availableParallelism()));
  // On PostgreSQL the pages this thread checks are streamed on a connection of its own in this
  // transaction's snapshot, like a worker's; PGlite (in this thread, one connection) reads them here.
  const snapshot = options.postgresUrl === undefined ? undefined : await exportSnapshot(db);
  const pool = workers > 0 ? createPagePool(workers, options.postgresUrl!, snapshot!) : undefined;
  const reader =
    snapshot !== undefined && (pool === undefined || workers === 1)
      ? openSnapshotReader(options.postgresUrl!, snapshot)
      : undefined;
  const checkHere = (lo: number): Promise<PageVerdict> =>
    reader !== undefined
      ? reader.check(lo, lo + pageSize)
      : db
          .executeQuery<EntryRow>(CompiledQuery.raw(PAGE_QUERY, [lo, lo + pageSize]))
          .then((r) => checkPage(r.rows));
  // With a single worker this thread takes every other page, the first while the worker starts.
  let pages = 0;
  const checkRange = (lo: number): Promise<PageVerdict> => {
    const here = pool === undefined || (workers === 1 && pages % 2 === 0);
    pages += 1;
    return here ? checkHere(lo) : pool.check(lo, lo + pageSize);
  };
  // Pages ahead of the walk are read and checked while it runs. When a broken entry ends the walk
  // early, those are abandoned: mark them handled so their failure (say, the pool closing) is no
  // unhandled rejection; awaiting them on the normal path still throws.
  const ahead: { lo: number; verdict: Promise<PageVerdict> }[] = [];
  let nextLo = frontier.size;
  const fill = () => {
    while (ahead.length < Math.max(2, workers * 2)) {
      const verdict = checkRange(nextLo);
      verdict.catch(() => undefined);
      ahead.push({ lo: nextLo, verdict });
      nextLo += pageSize;
    }
  };

  const walk = (verdict: PageVerdict) => {
    for (let i = 0; i < verdict.count; i++) {
      if (i === 0) {
        const seq = verdict.firstSeq!;
        const expected = frontier.size + 1;
        if (seq !== expected)
          throw new Broken(expected, `entry ${expected} is missing (the next entry is ${seq})`);
        if (verdict.firstPrevHash !== running)
          throw new Broken(seq, `its prev_hash does not match the hash of entry ${seq - 1}`);
      }
      if (verdict.bad?.index === i) {
        throw new Broken(frontier.size + 1, verdict.bad.problem);
      }
      frontier.pushDigest(verdict.leaves[i]!);
      const size = frontier.size;
      const cp = checkpoints[nextCheckpoint];
      if (cp !== undefined && cp.tree_size === size) {
        running = verdict.hashes[i]!;
        if (cp.root_hash !== frontier.root().toString('hex') || cp.chain_hash !== running) {
          throw new Broken(
            lastCheckedSize + 1,
            `entries ${lastCheckedSize + 1}..${size} do not match the signed checkpoint of size ${size} (rewritten entries)`,
          );
        }
        nextCheckpoint += 1;
        lastCheckedSize = size;
      }
      if (outside.length > 0) checkOutsideAt(size);
    }
    if (verdict.count > 0) running = verdict.hashes[verdict.count - 1]!;
  };

  try {
    let lastProgress = performance.now();
    for (;;) {
      fill();
      const { lo, verdict } = ahead.shift()!;
      const page = await verdict;
      if (page.count === 0) {
        // An empty range is the end of the log, or a gap of at least a page: find the next entry.
        const next = (
          await sql<{ seq: number }>`
            select seq from audit_entries where seq > ${lo + pageSize} order by seq limit 1`.execute(db)
        ).rows[0];
        if (next === undefined) break;
        const expected = frontier.size + 1;
        throw new Broken(expected, `entry ${expected} is missing (the next entry is ${Number(next.seq)})`);
      }
      walk(page);
      if (options.onProgress !== undefined && performance.now() - lastProgress > 1_000) {
        lastProgress = performance.now();
        options.onProgress(frontier.size, total);
      }
    }
  } finally {
    await Promise.all([pool?.close(), reader?.close()]);
  }

  const size = frontier.size;
  const lastCheckpoint = checkpoints.at(-1)?.tree_size ?? 0;
  if (size < lastCheckpoint) {
    throw new Broken(
      size + 1,
      `the log ends at seq ${size} but a signed checkpoint covers ${lastCheckpoint}: entries ${size + 1}..${lastCheckpoint} are missing (tail cut)`,
    );
  }
  if (nextCheckpoint < checkpoints.length) {
    const cp = checkpoints[nextCheckpoint]!;
    throw new Broken(cp.tree_size, `no entry boundary at the signed checkpoint of size ${cp.tree_size}`);
  }
  if (size > lastCheckedSize) {
    throw new Broken(
      lastCheckedSize + 1,
      `entries ${lastCheckedSize + 1}..${size} are not covered by any signed checkpoint (not written by the broker)`,
    );
  }
  for (const o of outside) {
    if (o.treeSize > size) {
      throw new Broken(
        size + 1,
        `the log ends at seq ${size} but the ${o.source} covers ${o.treeSize}: entries ${size + 1}..${o.treeSize} are missing (tail cut)`,
      );
    }
  }
  options.onProgress?.(size, total);
  return { ok: true, firstSeq, lastSeq: size, checkpoints: checkpoints.length, outsideChecked };
}
