// Turns an AuditRecord into the entry document that is canonicalised, hashed and stored.
import type { AuditRecord } from './contract.ts';
import { AuditRecordInvalidError } from './errors.ts';
import { isValidBsn } from './pseudonym.ts';

/** Version of the entry document layout. */
export const ENTRY_VERSION = 1;

/**
 * The stored entry document: the record plus its time. Its place in the log (seq) is not inside:
 * the hash chain and the Merkle leaf index bind it, and leaving it out lets the body be
 * canonicalised and hashed when the record arrives, outside the serialised append transaction.
 */
export interface EntryDocument extends AuditRecord {
  readonly v: number;
  readonly time: string;
}

/**
 * Checks a record before it is queued. Rejects anything that looks like a BSN (nine digits passing
 * the elfproef) anywhere in it: the log holds pseudonyms only.
 *
 * @throws AuditRecordInvalidError (ERR_AUDIT_RECORD_INVALID)
 */
export function validateRecord(record: AuditRecord): void {
  if (typeof record.type !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(record.type)) {
    throw new AuditRecordInvalidError('an audit record needs a dotted lower-case type');
  }
  assertNoBsn(record, 'record');
}

/** Builds the entry document from a validated record. */
export function toEntryDocument(record: AuditRecord, time: string): EntryDocument {
  return { ...stripUndefined(record), v: ENTRY_VERSION, time } as EntryDocument;
}

function stripUndefined(record: AuditRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function assertNoBsn(value: unknown, where: string): void {
  if (typeof value === 'string' || typeof value === 'number') {
    // Bounded by anything but base64url characters, so hashes and pseudonyms do not trip it.
    for (const run of String(value).match(/(?<![\w-])\d{9}(?![\w-])/g) ?? []) {
      if (isValidBsn(run)) {
        throw new AuditRecordInvalidError(
          `${where} holds a nine-digit number that passes the elfproef; log a pseudonym`,
        );
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoBsn(v, `${where}[${i}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) assertNoBsn(v, `${where}.${k}`);
  }
}

/** The party columns derived from a document: who may read it (besides the auditor). */
export function partiesOf(doc: AuditRecord): string[] {
  const parties = new Set<string>(doc.parties ?? []);
  if (doc.actor?.partnerId !== undefined) parties.add(doc.actor.partnerId);
  if (doc.holder !== undefined) parties.add(doc.holder);
  return [...parties].sort();
}
