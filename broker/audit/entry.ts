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
  // partiesOf() and the verifier read parties as a list of partner ids.
  const parties: unknown = record.parties;
  if (parties !== undefined && !(Array.isArray(parties) && parties.every((p) => typeof p === 'string'))) {
    throw new AuditRecordInvalidError('the parties of an audit record are a list of partner ids');
  }
  assertNoBsn(record, 'record');
}

/** Builds the entry document from a validated record. */
export function toEntryDocument(record: AuditRecord, time: string): EntryDocument {
  // Properties set to undefined are left in: canonical JSON, like JSON, leaves them out.
  return { ...record, v: ENTRY_VERSION, time };
}

function assertNoBsn(record: AuditRecord, where: string): void {
  const path = bsnPath(record);
  if (path !== undefined) {
    throw new AuditRecordInvalidError(
      `${where}${path} holds a nine-digit number that passes the elfproef; log a pseudonym`,
    );
  }
}

/**
 * Where in the value a BSN is (`.a[2].b`, '' for the value itself), or undefined. Keys are
 * searched as well as values (a record keyed by BSN is as bad as one listing them); a key holding
 * one is named by its position (`.{key 3}`), never by itself. The path is only built when one is
 * found.
 */
function bsnPath(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    // Nine digits need nine characters: most values are shorter or hold no run at all.
    if (text.length < 9) return undefined;
    // Bounded by anything but base64url characters, so hashes and pseudonyms do not trip it.
    for (const run of text.match(/(?<![\w-])\d{9}(?![\w-])/g) ?? []) {
      if (isValidBsn(run)) return '';
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = bsnPath(value[i]);
      if (inner !== undefined) return `[${i}]${inner}`;
    }
  } else if (typeof value === 'object' && value !== null) {
    let index = 0;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (bsnPath(key) !== undefined) return `.{key ${index}}`;
      const inner = bsnPath((value as Record<string, unknown>)[key]);
      if (inner !== undefined) return `.${key}${inner}`;
      index += 1;
    }
  }
  return undefined;
}

/** The party columns derived from a document: who may read it (besides the auditor). */
export function partiesOf(doc: AuditRecord): string[] {
  const parties = new Set<string>(doc.parties ?? []);
  if (doc.actor?.partnerId !== undefined) parties.add(doc.actor.partnerId);
  if (doc.holder !== undefined) parties.add(doc.holder);
  return [...parties].sort();
}
