// Who may read which entry: the auditor everything; a partner its own entries, within rules 4 and 7.
import type { EntryDocument } from './entry.ts';

/** The reader of the log, as the identity layer established it. */
export type AuditReader =
  | { readonly role: 'auditor' }
  | { readonly role: 'partner'; readonly partnerId: string }
  /** The privacy officer producing a person's access overview: never confidential processing. */
  | { readonly role: 'privacy_officer' };

/** The stored facts visibility depends on. */
export interface VisibilityFacts {
  readonly confidential: boolean;
  readonly parties: readonly string[];
  readonly requester: string | null;
  readonly holder: string | null;
}

/**
 * Rule 4: an entry touching the AIVD is readable only by its requester, its holder and the
 * auditor. Otherwise a partner reads the entries it is a party to.
 */
export function canRead(reader: AuditReader, entry: VisibilityFacts): boolean {
  switch (reader.role) {
    case 'auditor':
      return true;
    case 'privacy_officer':
      return !entry.confidential;
    case 'partner':
      if (entry.confidential)
        return reader.partnerId === entry.requester || reader.partnerId === entry.holder;
      return entry.parties.includes(reader.partnerId);
  }
}

/** Rule 7: the names of withheld fields are for the holder and the auditor only. */
export function redactFor(reader: AuditReader, doc: EntryDocument): EntryDocument {
  if (doc.withheldFields === undefined) return doc;
  if (reader.role === 'auditor' || (reader.role === 'partner' && reader.partnerId === doc.holder)) return doc;
  const { withheldFields: _withheld, ...rest } = doc;
  return rest;
}
