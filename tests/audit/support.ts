// Audit test helpers: a fresh migrated database with a keyring and an appender, and PostgreSQL gating.
import { it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../broker/audit/appender.ts';
import type { AuditRecord } from '../../broker/audit/contract.ts';
import {
  generateKeyringFile,
  loadKeyring,
  type Keyring,
  type KeyringFile,
} from '../../broker/audit/keyring.ts';
import type { Store } from '../../broker/store/database.ts';
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
