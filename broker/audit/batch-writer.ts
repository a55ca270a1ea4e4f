// Writes one batch in one statement (entries and their signed checkpoint), after the head this process knows or, under the lock, the head it reads.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { canonicalJson } from './canonical.ts';
import { signTreeHead, type SignedCheckpoint } from './checkpoint.ts';
import type { AuditRecord } from './contract.ts';
import { partiesOf, toEntryDocument } from './entry.ts';
import { chainHash } from './hashing.ts';
import { APPEND_LOCK, lockLog, readHead, type LogHead } from './head.ts';
import type { Keyring } from './keyring.ts';
import { Frontier, leafDigest } from './merkle.ts';

/** A record ready to be chained: its canonical body and RFC 6962 leaf hash, computed on arrival. */
export interface PreparedEntry {
  readonly record: AuditRecord;
  readonly body: string;
  /** The leaf hash as a binary (latin1) digest. */
  readonly leaf: string;
  readonly time: string;
}

/** Canonicalises and leaf-hashes a validated record. */
export function prepareEntry(record: AuditRecord, time: Date): PreparedEntry {
  const iso = time.toISOString();
  const body = canonicalJson(toEntryDocument(record, iso));
  return { record, body, leaf: leafDigest(body), time: iso };
}

/** What a committed batch produced. */
export interface BatchResult {
  readonly firstSeq: number;
  readonly hashes: readonly string[];
  readonly checkpoint: SignedCheckpoint;
  /** The head after the batch: where the next batch continues. */
  readonly head: LogHead;
}

/**
 * The committed head moved past the head a batch was chained to (another process appended): nothing
 * of the batch was written; chain it again under the lock.
 */
export class LogHeadMovedError extends Error {
  override readonly name = 'LogHeadMovedError';
}

/** PostgreSQL's answer when an insert does not continue the committed log (seq taken, or the chain trigger). */
function isHeadConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '23000';
}

/**
 * Appends validated records as consecutive entries and commits them with their signed checkpoint.
 *
 * With `known`, the head this process committed last, the batch is one statement: it takes the
 * append lock only if it is free (pg_try_advisory_xact_lock) and writes nothing otherwise, and the
 * seq and tree-size primary keys and the chain trigger refuse any insert that does not continue the
 * committed head, so a stale head can only fail, never fork the chain. Either way nothing is written
 * and it rejects with LogHeadMovedError: chain the batch again without `known`. Without `known`, the
 * batch waits for the lock in a transaction and reads the head first (BEGIN, lock, head, insert,
 * COMMIT), as every writer did before; writers of both kinds exclude each other through the lock.
 *
 * Rejects with the database's error (or LogHeadMovedError) when anything fails; then nothing of
 * the batch is committed.
 */
export async function writeBatch(
  db: Kysely<Database>,
  keyring: Keyring,
  entries: readonly PreparedEntry[],
  time: Date,
  known?: LogHead,
): Promise<BatchResult> {
  if (known !== undefined) {
    let result: BatchResult | undefined;
    try {
      result = await insertAfter(db, keyring, entries, time, known, 'try');
    } catch (error) {
      if (isHeadConflict(error)) throw new LogHeadMovedError('the log head moved', { cause: error });
      throw error;
    }
    if (result === undefined) throw new LogHeadMovedError('another writer holds the append lock');
    return result;
  }
  return db.transaction().execute(async (trx) => {
    await lockLog(trx);
    return (await insertAfter(trx, keyring, entries, time, await readHead(trx), 'held'))!;
  });
}

/** Chains the entries after `head`, signs the checkpoint, and inserts both in one statement. */
async function insertAfter(
  db: Kysely<Database>,
  keyring: Keyring,
  entries: readonly PreparedEntry[],
  time: Date,
  head: LogHead,
  lock: 'held' | 'try',
): Promise<BatchResult | undefined> {
  const frontier = Frontier.fromHex(head.treeSize, head.frontier);
  const issuedAt = time.toISOString();
  const cols = {
    seq: [] as number[],
    time: [] as string[],
    type: [] as string[],
    confidential: [] as boolean[],
    parties: [] as string[],
    requester: [] as (string | null)[],
    holder: [] as (string | null)[],
    subject: [] as (string | null)[],
    body: [] as string[],
    prev: [] as string[],
    hash: [] as string[],
  };
  let prev = head.chainHash;
  entries.forEach(({ record, body, leaf, time: recordedAt }, i) => {
    const seq = head.treeSize + 1 + i;
    const hash = chainHash(prev, body);
    frontier.pushDigest(leaf);
    cols.seq.push(seq);
    cols.time.push(recordedAt);
    cols.type.push(record.type);
    cols.confidential.push(record.confidential === true);
    cols.parties.push(JSON.stringify(partiesOf(record)));
    cols.requester.push(record.actor?.partnerId ?? null);
    cols.holder.push(record.holder ?? null);
    cols.subject.push(record.subjectPseudonym ?? null);
    cols.body.push(body);
    cols.prev.push(prev);
    cols.hash.push(hash);
    prev = hash;
  });
  const checkpoint = await signTreeHead(keyring, {
    treeSize: frontier.size,
    rootHash: frontier.root().toString('hex'),
    chainHash: prev,
    issuedAt,
  });
  const frontierHex = frontier.toHex();
  // One statement: the entries and the checkpoint that covers them commit together or not at all.
  // With lock 'try', both inserts read the try-lock's answer first and insert nothing without it.
  const { rows } = await sql<{ tree_size: number }>`
    with lock as (
      select ${lock === 'held'} or pg_try_advisory_xact_lock(hashtext(${APPEND_LOCK})) as held),
    entries as (
      insert into audit_entries
        (seq, recorded_at, type, confidential, parties, requester, holder, subject_pseudonym, body, prev_hash, hash)
      select s, tm, t, c, p::jsonb, r, h, sp, b, ph, hh
        from unnest(${cols.seq}::bigint[], ${cols.time}::timestamptz[], ${cols.type}::text[], ${cols.confidential}::boolean[], ${cols.parties}::text[],
                    ${cols.requester}::text[], ${cols.holder}::text[], ${cols.subject}::text[], ${cols.body}::text[],
                    ${cols.prev}::text[], ${cols.hash}::text[])
          as u(s, tm, t, c, p, r, h, sp, b, ph, hh)
        where (select held from lock)
        order by s
      returning 1)
    insert into audit_checkpoints (tree_size, root_hash, chain_hash, frontier, issued_at, kid, jws)
    select ${checkpoint.treeSize}, ${checkpoint.rootHash}, ${checkpoint.chainHash}, ${JSON.stringify(frontierHex)}::jsonb,
           ${issuedAt}::timestamptz, ${checkpoint.kid}, ${checkpoint.jws}
      where (select held from lock)
    returning tree_size`.execute(db);
  if (rows.length === 0) return undefined;
  return {
    firstSeq: head.treeSize + 1,
    hashes: cols.hash,
    checkpoint,
    head: { treeSize: frontier.size, chainHash: prev, frontier: frontierHex },
  };
}
