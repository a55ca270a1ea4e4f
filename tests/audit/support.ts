// Audit test helpers: a fresh migrated database with a keyring and an appender, acknowledgements checked against the log, and PostgreSQL gating.
import { sql, type Kysely } from 'kysely';
import { it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../broker/audit/appender.ts';
import type { SignedCheckpoint } from '../../broker/audit/checkpoint.ts';
import type { AuditRecord } from '../../broker/audit/contract.ts';
import {
  generateKeyringFile,
  loadKeyring,
  type Keyring,
  type KeyringFile,
} from '../../broker/audit/keyring.ts';
import type { Store } from '../../broker/store/database.ts';
import type { Database } from '../../broker/store/schema.ts';
import { openTestStore, POSTGRES_URL } from '../support/databases.ts';

export interface AuditFixture {
  readonly store: Store;
  readonly keyringFile: KeyringFile;
  readonly keyring: Keyring;
  readonly log: AuditLog;
  close(): Promise<void>;
}

/** A fresh migrated database of the backend with a new signing key and an appender on it. */
export async function openAuditFixture(
  backend: 'pglite' | 'postgres',
  maxBatch?: number,
): Promise<AuditFixture> {
  const store = await openTestStore(backend);
  const keyringFile = await generateKeyringFile();
  const keyring = await loadKeyring(keyringFile);
  const log = createAuditLog({ db: store.db, keyring, ...(maxBatch === undefined ? {} : { maxBatch }) });
  return {
    store,
    keyringFile,
    keyring,
    log,
    async close() {
      await log.close();
      await store.close();
    },
  };
}

/** A record as a decision or disclosure would produce it (no BSN, pseudonyms only). */
export function sampleRecord(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    type: 'disclosure',
    actor: { partnerId: 'demo-politie', partnerKind: 'politie', user: `u-${i % 7}`, role: 'analist' },
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    transactionId: `tx-${i}`,
    processingActivity: 'dreigingsmanagement.informatieverzoek',
    subjectPseudonym: `p1.subject-${i % 13}`,
    holder: 'demo-ggz',
    category: 'ggz.bekend',
    purpose: 'risicotaxatie',
    outcome: 'disclosed',
    legalBasis: { ground: 'bg_toestemming', gdpr: 'avg_6_1_e' },
    reasonCodes: ['CONSENT_VALID'],
    policyRevision: 'rev-1',
    policyInputHash: 'a'.repeat(64),
    withheldFields: ['sinds'],
    payloadHash: 'b'.repeat(64),
    ...overrides,
  };
}

/** Appends n sample records concurrently (they share batches) and returns the committed entries. */
export function appendMany(log: AuditLog, n: number, from = 0) {
  return Promise.all(Array.from({ length: n }, (_, i) => log.append(sampleRecord(from + i))));
}

/** What a writer was told: the seq of the record it appended under its own transaction id. */
export interface Acknowledged {
  readonly seq: number;
  readonly transactionId: string;
}

/**
 * The acknowledgements the log does not bear out: a seq acknowledged twice, or one whose entry is
 * missing or holds another record (another transaction id). Matching the seq alone is not enough:
 * after a restart or a recovery the writer gives a lost entry's seq to a new record. Empty when
 * every acknowledged record is committed at the seq its writer was told.
 */
export async function unrecorded(
  db: Kysely<Database>,
  acknowledged: readonly Acknowledged[],
): Promise<string[]> {
  const rows = (
    await sql<{ seq: string | number; tx: string | null }>`
      select seq, body::jsonb ->> 'transactionId' as tx from audit_entries`.execute(db)
  ).rows;
  const logged = new Map(rows.map((r) => [Number(r.seq), r.tx]));
  const told = new Map<number, string>();
  const problems: string[] = [];
  for (const { seq, transactionId } of acknowledged) {
    const before = told.get(seq);
    if (before !== undefined) problems.push(`seq ${seq} acknowledged twice (${before}, ${transactionId})`);
    told.set(seq, transactionId);
    const tx = logged.get(seq);
    if (tx === undefined) problems.push(`seq ${seq} (${transactionId}) acknowledged but not in the log`);
    else if (tx !== transactionId)
      problems.push(`seq ${seq} acknowledged to ${transactionId} but holds ${tx}`);
  }
  return problems;
}

/**
 * Counts the batches the appender committed from a chain made while the batch before it was still
 * being written (its speculative "ahead" path). Pass `now` and `onCommit` to createAuditLog. The
 * clock never returns the same millisecond twice, so a checkpoint issued before the previous
 * batch's commit was reported can only have been chained ahead of it.
 */
export function aheadProbe(onAhead?: (entries: number) => void): {
  readonly now: () => Date;
  readonly onCommit: (checkpoint: SignedCheckpoint, entries: number) => void;
  readonly batches: () => number;
} {
  let last = 0;
  const tick = () => (last = Math.max(Date.now(), last + 1));
  let committed = 0;
  let batches = 0;
  return {
    now: () => new Date(tick()),
    onCommit(checkpoint, entries) {
      if (Date.parse(checkpoint.issuedAt) < committed) {
        batches += 1;
        onAhead?.(entries);
      }
      committed = tick();
    },
    batches: () => batches,
  };
}

/**
 * Waits until `done()` holds, checking every 10 ms; throws with `what` after `ms` so a test that
 * cannot get there fails (and cleans up) within its own time instead of hanging until vitest's.
 */
export async function waitUntil(done: () => boolean | Promise<boolean>, ms: number, what: () => string) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A test that needs a real PostgreSQL: skipped with a message when SCHAKEL_TEST_DATABASE_URL is
 * unset, failing instead when CI is set (CI must cover it).
 */
export function itWithPostgres(name: string, fn: (url: string) => Promise<void>, timeout?: number): void {
  const url = POSTGRES_URL;
  if (url !== undefined && url !== '') {
    it(name, () => fn(url), timeout);
  } else if (process.env.CI !== undefined) {
    it(name, () => {
      throw new Error('CI must set SCHAKEL_TEST_DATABASE_URL: this test needs PostgreSQL');
    });
  } else {
    it.skip(`${name} (skipped: set SCHAKEL_TEST_DATABASE_URL to run it on PostgreSQL)`, () => undefined);
  }
}
