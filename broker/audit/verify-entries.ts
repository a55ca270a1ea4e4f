// Verification of one page of entries on its own: order and links inside the page, each hash over its body, columns against the body, leaf hashes.
import { partiesOf, type EntryDocument } from './entry.ts';
import { chainHash } from './hashing.ts';
import { leafDigest } from './merkle.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An entry as the verifier reads it. */
export interface EntryRow {
  seq: number | string;
  type: string;
  confidential: boolean;
  /** The jsonb column as text (`parties::text`): cheaper to fetch than parsed, compared as text first. */
  parties: string;
  requester: string | null;
  holder: string | null;
  subject_pseudonym: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

/**
 * The query for the entries with lo < seq <= hi, in order (parameters $1 = lo, $2 = hi). Plain
 * text, so a worker reads with pg alone (no Kysely to load: each worker's start-up counts).
 */
export const PAGE_QUERY = `select seq, type, confidential, parties::text as parties, requester, holder,
  subject_pseudonym, body, prev_hash, hash from audit_entries where seq > $1 and seq <= $2 order by seq`;

/** What a page holds and what is wrong inside it, for the walk that links the pages. */
export interface PageVerdict {
  /** Entries in the page. */
  readonly count: number;
  /** The first entry's seq and prev_hash, which only the walk can check (undefined for an empty page). */
  readonly firstSeq?: number;
  readonly firstPrevHash?: string;
  /** Each entry's hash (hex), up to `bad`. */
  readonly hashes: readonly string[];
  /** Each entry's leaf hash as a binary (latin1) digest, up to `bad`. */
  readonly leaves: readonly string[];
  /**
   * The first entry (index into the page) that is wrong by itself or against the entry before it
   * in the page, and what is wrong; `thrown` when checking it threw (a body whose JSON is no
   * object) rather than found a difference. The walk raises it in entry order.
   */
  readonly bad?: { readonly index: number; readonly problem: string; readonly thrown?: true };
}

/**
 * Checks a page of consecutive-looking entries the way the one-pass walk checks them, except what
 * needs the entry before the page (its first seq and prev_hash): each next seq follows, each
 * prev_hash is the hash before it, each hash covers its prev_hash and body, each body is JSON whose
 * fields equal the columns. Stops at the first bad entry: nothing after it can matter. Never throws
 * for an entry.
 */
export function checkPage(rows: readonly EntryRow[]): PageVerdict {
  const hashes: string[] = [];
  const leaves: string[] = [];
  const verdict = (bad?: NonNullable<PageVerdict['bad']>): PageVerdict => ({
    count: rows.length,
    ...(rows.length === 0 ? {} : { firstSeq: Number(rows[0]!.seq), firstPrevHash: rows[0]!.prev_hash }),
    hashes,
    leaves,
    ...(bad === undefined ? {} : { bad }),
  });
  let previousSeq = 0;
  let previousHash = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const seq = Number(row.seq);
    if (i > 0) {
      if (seq !== previousSeq + 1)
        return verdict({
          index: i,
          problem: `entry ${previousSeq + 1} is missing (the next entry is ${seq})`,
        });
      if (row.prev_hash !== previousHash)
        return verdict({ index: i, problem: `its prev_hash does not match the hash of entry ${seq - 1}` });
    }
    // Inside the page each prev_hash was compared with a computed hash above; the first one only the
    // walk can compare, so a malformed one (say, an odd number of hex digits) must not throw here.
    if (i === 0 && !SHA256_HEX.test(row.prev_hash))
      return verdict({ index: i, problem: 'its prev_hash is not a SHA-256 hash' });
    if (chainHash(row.prev_hash, row.body) !== row.hash)
      return verdict({ index: i, problem: 'its hash does not match its content (the entry was changed)' });
    let problem: string | undefined;
    try {
      problem = columnProblem(row);
    } catch (error) {
      return verdict({
        index: i,
        problem: error instanceof Error ? error.message : String(error),
        thrown: true,
      });
    }
    if (problem !== undefined) return verdict({ index: i, problem });
    hashes.push(row.hash);
    leaves.push(leafDigest(row.body));
    previousSeq = seq;
    previousHash = row.hash;
  }
  return verdict();
}

/** What is wrong with the row's columns, or undefined when they equal what its body says. */
function columnProblem(row: EntryRow): string | undefined {
  let doc: EntryDocument;
  try {
    doc = JSON.parse(row.body) as EntryDocument;
  } catch {
    return 'its body is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'its body is not a JSON object';
  const differs = (column: string) => `its ${column} column differs from the hashed body`;
  if (doc.type !== row.type) return differs('type');
  if ((doc.confidential === true) !== row.confidential) return differs('confidential');
  if ((doc.actor?.partnerId ?? null) !== row.requester) return differs('requester');
  if ((doc.holder ?? null) !== row.holder) return differs('holder');
  if ((doc.subjectPseudonym ?? null) !== row.subject_pseudonym) return differs('subject_pseudonym');
  if (!sameParties(partiesOf(doc), row.parties)) return differs('parties');
  return undefined;
}

/**
 * True when the jsonb column's text holds the same JSON as the parties derived from the body.
 * Fast path: PostgreSQL writes a jsonb array of strings as `["a", "b"]`; building that text from
 * the body's parties and finding it equal proves the parsed column equal too. Anything else (other
 * spacing, escapes, values) is parsed and compared as JSON.
 */
function sameParties(parties: readonly string[], columnText: string): boolean {
  let text = '[';
  for (let i = 0; i < parties.length; i++) text += (i === 0 ? '' : ', ') + JSON.stringify(parties[i]);
  if (text + ']' === columnText) return true;
  let column: unknown;
  try {
    column = JSON.parse(columnText);
  } catch {
    return false;
  }
  return JSON.stringify(parties) === JSON.stringify(column);
}
