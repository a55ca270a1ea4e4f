// Writes one batch in one statement (entries and their signed checkpoint), after the head this process knows or, under the lock, the head it reads.
import { sql, type Kysely } from 'kysely';
import { preparedStatement } from '../store/prepared.ts';
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
  if (known !== undefined) return writeChained(db, await chainBatch(keyring, entries, time, known));
  return db.transaction().execute(async (trx) => {
    await lockLog(trx);
    const chained = await chainBatch(keyring, entries, time, await readHead(trx));
    await insertChained(trx, chained, 'held');
    return chained.result;
  });
}

/**
 * Writes a batch chained after the head this process committed last, in one statement that takes
 * the append lock only if it is free (see writeBatch). Rejects with LogHeadMovedError when
 * another writer holds the lock or moved the head (nothing written), else with the database's error.
 */
export async function writeChained(db: Kysely<Database>, chained: ChainedBatch): Promise<BatchResult> {
  let written: boolean;
  try {
    written = await insertChained(db, chained, 'try');
  } catch (error) {
    if (isHeadConflict(error)) throw new LogHeadMovedError('the log head moved', { cause: error });
    throw error;
  }
  if (!written) throw new LogHeadMovedError('another writer holds the append lock');
  return chained.result;
}

/** A batch chained after a head and its checkpoint signed, ready to insert. */
export interface ChainedBatch {
  /** The head it was chained after. */
  readonly after: LogHead;
  readonly result: BatchResult;
  readonly columns: BatchColumns;
  readonly frontierHex: readonly string[];
  readonly issuedAt: string;
}

interface BatchColumns {
  readonly seq: number[];
  readonly time: string[];
  readonly type: string[];
  readonly confidential: boolean[];
  readonly parties: string[];
  readonly requester: (string | null)[];
  readonly holder: (string | null)[];
  readonly subject: (string | null)[];
  readonly body: string[];
  readonly prev: string[];
  readonly hash: string[];
}

/**
 * Chains the entries after `head` and signs the checkpoint that covers them. Touches no database:
 * the appender chains the next batch while the one before it is being written, after the head
 * that one leaves, and uses it only if that head is what was committed.
 */
export async function chainBatch(
  keyring: Keyring,
  entries: readonly PreparedEntry[],
  time: Date,
  head: LogHead,
): Promise<ChainedBatch> {
  const frontier = Frontier.fromHex(head.treeSize, head.frontier);
  const issuedAt = time.toISOString();
  const columns: BatchColumns = {
    seq: [],
    time: [],
    type: [],
    confidential: [],
    parties: [],
    requester: [],
    holder: [],
    subject: [],
    body: [],
    prev: [],
    hash: [],
  };
  let prev = head.chainHash;
  entries.forEach(({ record, body, leaf, time: recordedAt }, i) => {
    const seq = head.treeSize + 1 + i;
    const hash = chainHash(prev, body);
    frontier.pushDigest(leaf);
    columns.seq.push(seq);
    columns.time.push(recordedAt);
    columns.type.push(record.type);
    columns.confidential.push(record.confidential === true);
    columns.parties.push(JSON.stringify(partiesOf(record)));
    columns.requester.push(record.actor?.partnerId ?? null);
    columns.holder.push(record.holder ?? null);
    columns.subject.push(record.subjectPseudonym ?? null);
    columns.body.push(body);
    columns.prev.push(prev);
    columns.hash.push(hash);
    prev = hash;
  });
  const checkpoint = await signTreeHead(keyring, {
    treeSize: frontier.size,
    rootHash: frontier.root().toString('hex'),
    chainHash: prev,
    issuedAt,
  });
  const frontierHex = frontier.toHex();
  return {
    after: head,
    columns,
    frontierHex,
    issuedAt,
    result: {
      firstSeq: head.treeSize + 1,
      hashes: columns.hash,
      checkpoint,
      head: { treeSize: frontier.size, chainHash: prev, frontier: frontierHex },
    },
  };
}

/** Inserts a chained batch and its checkpoint in one statement; false when the try-lock was taken (nothing written). */
async function insertChained(
  db: Kysely<Database>,
  chained: ChainedBatch,
  lock: 'held' | 'try',
): Promise<boolean> {
  const { columns: cols, result, frontierHex, issuedAt } = chained;
  const { checkpoint } = result;
  // One statement: the entries and the checkpoint that covers them commit together or not at all.
  // The bodies travel as one JSON array: JSON.stringify escapes them natively, about twice as fast
  // as pg quoting each element of a text array (they are canonical JSON, so always well-formed
  // Unicode, which PostgreSQL's JSON requires).
  // With lock 'try', both inserts read the try-lock's answer first and insert nothing without it.
  const query = sql<{ tree_size: number }>`
    with lock as (
      select ${lock === 'held'} or pg_try_advisory_xact_lock(hashtext(${APPEND_LOCK})) as held),
    entries as (
      insert into audit_entries
        (seq, recorded_at, type, confidential, parties, requester, holder, subject_pseudonym, body, prev_hash, hash)
      select s, tm, t, c, p::jsonb, r, h, sp, b, ph, hh
        from unnest(${cols.seq}::bigint[], ${cols.time}::timestamptz[], ${cols.type}::text[], ${cols.confidential}::boolean[], ${cols.parties}::text[],
                    ${cols.requester}::text[], ${cols.holder}::text[], ${cols.subject}::text[],
                    ${cols.prev}::text[], ${cols.hash}::text[]) with ordinality
          as u(s, tm, t, c, p, r, h, sp, ph, hh, i)
        join json_array_elements_text(${JSON.stringify(cols.body)}::json) with ordinality as j(b, i) using (i)
        where (select held from lock)
        order by s
      returning 1)
    insert into audit_checkpoints (tree_size, root_hash, chain_hash, frontier, issued_at, kid, jws)
    select ${checkpoint.treeSize}, ${checkpoint.rootHash}, ${checkpoint.chainHash}, ${JSON.stringify(frontierHex)}::jsonb,
           ${issuedAt}::timestamptz, ${checkpoint.kid}, ${checkpoint.jws}
      where (select held from lock)
    returning tree_size`.compile(db);
  // The text is the same for every batch (only the parameters differ): prepared once per connection.
  preparedStatement(query.sql);
  const { rows } = await db.executeQuery(query);
  return rows.length > 0;
}
