// Verification of one page of entries on its own: order and links inside the page, each hash over its body, columns against the body, leaf hashes.
import { chainHash } from './hashing.ts';
import { leafDigest } from './merkle.ts';
import { columnProblem, type EntryColumns } from './verify-columns.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An entry as the verifier reads it. */
export interface EntryRow extends EntryColumns {
  seq: number | string;
  prev_hash: string;
  hash: string;
}

/**
 * The query for the entries with lo < seq <= hi, in order (parameters $1 = lo, $2 = hi). Plain
 * text, so a worker reads with pg alone (no Kysely to load: each worker's start-up counts). The
 * casts keep a column an attacker retyped (say, body to jsonb) text, so it is reported as changed.
 */
export const PAGE_QUERY = `select seq, type::text, confidential, parties::text as parties, requester::text,
  holder::text, subject_pseudonym::text, body::text, prev_hash::text, hash::text from audit_entries
  where seq > $1 and seq <= $2 order by seq`;

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
   * in the page, and what is wrong. The walk reports it in entry order.
   */
  readonly bad?: { readonly index: number; readonly problem: string };
}

/**
 * Checks a page of consecutive-looking entries the way the one-pass walk checks them, except what
 * needs the entry before the page (its first seq and prev_hash): each next seq follows, each
 * prev_hash is the hash before it, each hash covers its prev_hash and body, each body is JSON whose
 * fields equal the columns. Stops checking at the first bad entry: nothing after it can matter.
 * Never throws for an entry.
 *
 * Entries are added one at a time as they are read, so a reader that streams them keeps none: a
 * page of rows held until its end was copied by each young-generation collection on the way, which
 * cost more than a fifth of verification's CPU.
 */
export class PageChecker {
  private count = 0;
  private first?: { readonly seq: number; readonly prevHash: string };
  private readonly hashes: string[] = [];
  private readonly leaves: string[] = [];
  private bad?: NonNullable<PageVerdict['bad']>;
  private previousSeq = 0;
  private previousHash = '';

  add(row: EntryRow): void {
    const index = this.count++;
    if (this.bad !== undefined) return;
    if (index === 0) this.first = { seq: Number(row.seq), prevHash: row.prev_hash };
    let problem: string | undefined;
    try {
      problem = this.problemOf(row, index);
    } catch (error) {
      // Whatever an attacker stored (a column retyped, a body that is no text) is a broken entry
      // to report, never an exception: thrown inside the driver's row event it would end the process.
      // Only the error's name: its message may quote what was stored, and the report is printed.
      problem = `the verifier could not check it (${error instanceof Error ? error.name : 'an error'})`;
    }
    if (problem !== undefined) this.bad = { index, problem };
  }

  verdict(): PageVerdict {
    return {
      count: this.count,
      ...(this.first === undefined ? {} : { firstSeq: this.first.seq, firstPrevHash: this.first.prevHash }),
      hashes: this.hashes,
      leaves: this.leaves,
      ...(this.bad === undefined ? {} : { bad: this.bad }),
    };
  }

  private problemOf(row: EntryRow, index: number): string | undefined {
    const seq = Number(row.seq);
    if (index > 0) {
      if (seq !== this.previousSeq + 1)
        return `entry ${this.previousSeq + 1} is missing (the next entry is ${seq})`;
      if (row.prev_hash !== this.previousHash)
        return `its prev_hash does not match the hash of entry ${seq - 1}`;
    }
    // Inside the page each prev_hash was compared with a computed hash above; the first one only the
    // walk can compare, so a malformed one (say, an odd number of hex digits) must not throw here.
    if (index === 0 && !SHA256_HEX.test(row.prev_hash)) return 'its prev_hash is not a SHA-256 hash';
    if (typeof row.body !== 'string') return 'its body is not text';
    if (chainHash(row.prev_hash, row.body) !== row.hash)
      return 'its hash does not match its content (the entry was changed)';
    const problem = columnProblem(row);
    if (problem !== undefined) return problem;
    this.hashes.push(row.hash);
    this.leaves.push(leafDigest(row.body));
    this.previousSeq = seq;
    this.previousHash = row.hash;
    return undefined;
  }
}

/** PageChecker over rows already read. */
export function checkPage(rows: readonly EntryRow[]): PageVerdict {
  const checker = new PageChecker();
  for (const row of rows) checker.add(row);
  return checker.verdict();
}
