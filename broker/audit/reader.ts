// Read side of the log: filtered pages for readers, the newest checkpoint, inclusion proofs.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import type { EntryDocument } from './entry.ts';
import { inclusionProof, leafHash } from './merkle.ts';
import { canRead, redactFor, type AuditReader } from './visibility.ts';

export interface EntryFilter {
  /** Only entries after this seq (cursor). */
  readonly after?: number;
  readonly limit: number;
  readonly type?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Any of these subject pseudonyms (auditor and privacy officer only). */
  readonly subjects?: readonly string[];
}

/** One entry as a reader sees it; `redacted` names fields left out for this reader. */
export interface ReadableEntry {
  readonly seq: number;
  readonly hash: string;
  readonly prevHash: string;
  readonly entry: EntryDocument;
  readonly redacted?: readonly string[];
}

interface Row {
  seq: number;
  confidential: boolean;
  parties: string[];
  requester: string | null;
  holder: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

/** The log's read operations. */
export interface AuditQueries {
  /** A page of entries the reader may see, oldest first, and the cursor for the next page. */
  listEntries(reader: AuditReader, filter: EntryFilter): Promise<{ entries: ReadableEntry[]; next?: number }>;
  /** The newest signed checkpoint, or undefined for an empty log. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** An RFC 6962 inclusion proof of `seq` in the newest checkpoint's tree. */
  inclusionProof(seq: number): Promise<
    | {
        seq: number;
        leafIndex: number;
        leafHash: string;
        treeSize: number;
        auditPath: string[];
        checkpoint: SignedCheckpoint;
      }
    | undefined
  >;
}

/** @example const queries = createAuditQueries(store.db); */
export function createAuditQueries(db: Kysely<Database>): AuditQueries {
  const latestCheckpoint = async (): Promise<SignedCheckpoint | undefined> => {
    const row = (
      await sql<{
        tree_size: number;
        root_hash: string;
        chain_hash: string;
        issued_at: Date;
        kid: string;
        jws: string;
      }>`
        select tree_size, root_hash, chain_hash, issued_at, kid, jws from audit_checkpoints order by tree_size desc limit 1`.execute(
        db,
      )
    ).rows[0];
    if (row === undefined) return undefined;
    return {
      treeSize: Number(row.tree_size),
      rootHash: row.root_hash,
      chainHash: row.chain_hash,
      issuedAt: new Date(row.issued_at).toISOString(),
      kid: row.kid,
      jws: row.jws,
    };
  };

  return {
    latestCheckpoint,
    async listEntries(reader, filter) {
      const partner = reader.role === 'partner' ? reader.partnerId : undefined;
      // The SQL narrows; canRead below is the rule that decides (rule 4), so both must agree.
      const rows = (
        await sql<Row>`
          select seq, confidential, parties, requester, holder, body, prev_hash, hash from audit_entries
          where seq > ${filter.after ?? 0}
            ${filter.type === undefined ? sql`` : sql`and type = ${filter.type}`}
            ${filter.from === undefined ? sql`` : sql`and recorded_at >= ${filter.from.toISOString()}::timestamptz`}
            ${filter.to === undefined ? sql`` : sql`and recorded_at < ${filter.to.toISOString()}::timestamptz`}
            ${filter.subjects === undefined ? sql`` : sql`and subject_pseudonym = any(${[...filter.subjects]}::text[])`}
            ${partner === undefined ? sql`` : sql`and parties @> ${JSON.stringify([partner])}::jsonb`}
            ${reader.role === 'privacy_officer' ? sql`and not confidential` : sql``}
          order by seq limit ${filter.limit + 1}`.execute(db)
      ).rows;
      const page = rows.slice(0, filter.limit);
      const entries = page
        .filter((r) => canRead(reader, r))
        .map((r): ReadableEntry => {
          const doc = JSON.parse(r.body) as EntryDocument;
          const shown = redactFor(reader, doc);
          return {
            seq: Number(r.seq),
            hash: r.hash,
            prevHash: r.prev_hash,
            entry: shown,
            ...(shown === doc ? {} : { redacted: ['withheldFields'] }),
          };
        });
      const last = page.at(-1);
      return rows.length > filter.limit && last !== undefined
        ? { entries, next: Number(last.seq) }
        : { entries };
    },
    async inclusionProof(seq) {
      const checkpoint = await latestCheckpoint();
      if (checkpoint === undefined || seq < 1 || seq > checkpoint.treeSize) return undefined;
      const first = Number(
        (await sql<{ m: number | null }>`select min(seq) as m from audit_entries`.execute(db)).rows[0]?.m ??
          1,
      );
      // NOTE: a proof needs every leaf from seq 1, so none is served once a retention prune removed some.
      if (first !== 1) return undefined;
      const leaves = (
        await sql<{ seq: number; body: string }>`
          select seq, body from audit_entries where seq <= ${checkpoint.treeSize} order by seq`.execute(db)
      ).rows.map((r) => leafHash(r.body));
      if (leaves.length !== checkpoint.treeSize) return undefined;
      return {
        seq,
        leafIndex: seq - 1,
        leafHash: leaves[seq - 1]!.toString('hex'),
        treeSize: checkpoint.treeSize,
        auditPath: inclusionProof(leaves, seq - 1).map((p) => p.toString('hex')),
        checkpoint,
      };
    },
  };
}
