// Writes one batch in one transaction: lock, read the head, chain and insert the entries, sign and store the checkpoint.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { canonicalJson } from './canonical.ts';
import { signTreeHead, type SignedCheckpoint } from './checkpoint.ts';
import type { AuditRecord } from './contract.ts';
import { partiesOf, toEntryDocument } from './entry.ts';
import { chainHash } from './hashing.ts';
import { lockLog, readHead } from './head.ts';
import type { Keyring } from './keyring.ts';
import { Frontier, leafHash } from './merkle.ts';

/** A record ready to be chained: its canonical body and RFC 6962 leaf hash, computed on arrival. */
export interface PreparedEntry {
  readonly record: AuditRecord;
  readonly body: string;
  readonly leaf: Buffer;
  readonly time: string;
}

/** Canonicalises and leaf-hashes a validated record. */
export function prepareEntry(record: AuditRecord, time: Date): PreparedEntry {
  const iso = time.toISOString();
  const body = canonicalJson(toEntryDocument(record, iso));
  return { record, body, leaf: leafHash(body), time: iso };
}

/** What a committed batch produced. */
export interface BatchResult {
  readonly firstSeq: number;
  readonly hashes: readonly string[];
  readonly checkpoint: SignedCheckpoint;
}

/**
 * Appends validated records as consecutive entries and commits them with their signed checkpoint.
 * Rejects with the database's error when anything fails; then nothing of the batch is committed.
 */
export async function writeBatch(
  db: Kysely<Database>,
  keyring: Keyring,
  entries: readonly PreparedEntry[],
  time: Date,
): Promise<BatchResult> {
  return db.transaction().execute(async (trx) => {
    await lockLog(trx);
    const head = await readHead(trx);
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
      frontier.push(leaf);
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
    await sql`
      insert into audit_entries
        (seq, recorded_at, type, confidential, parties, requester, holder, subject_pseudonym, body, prev_hash, hash)
      select s, tm, t, c, p::jsonb, r, h, sp, b, ph, hh
        from unnest(${cols.seq}::bigint[], ${cols.time}::timestamptz[], ${cols.type}::text[], ${cols.confidential}::boolean[], ${cols.parties}::text[],
                    ${cols.requester}::text[], ${cols.holder}::text[], ${cols.subject}::text[], ${cols.body}::text[],
                    ${cols.prev}::text[], ${cols.hash}::text[])
          as u(s, tm, t, c, p, r, h, sp, b, ph, hh)
        order by s`.execute(trx);
    const checkpoint = await signTreeHead(keyring, {
      treeSize: frontier.size,
      rootHash: frontier.root().toString('hex'),
      chainHash: prev,
      issuedAt,
    });
    await sql`
      insert into audit_checkpoints (tree_size, root_hash, chain_hash, frontier, issued_at, kid, jws)
      values (${checkpoint.treeSize}, ${checkpoint.rootHash}, ${checkpoint.chainHash}, ${JSON.stringify(frontier.toHex())}::jsonb,
              ${issuedAt}::timestamptz, ${checkpoint.kid}, ${checkpoint.jws})`.execute(trx);
    return { firstSeq: head.treeSize + 1, hashes: cols.hash, checkpoint };
  });
}
