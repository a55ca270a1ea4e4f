// The disclosure log's contract: what producers (identity, policy, requests) hand to the log and get back.
// The audit room implements it; producers depend on this interface only.

/** Who did something, as the broker verified it. Never a BSN; `user` is the partner's pseudonymous user id. */
export interface AuditActor {
  readonly partnerId?: string;
  readonly partnerKind?: string;
  readonly user?: string;
  readonly role?: string;
  /** A person signed in to the pages (id from the registry). */
  readonly personId?: string;
  /** Certificate serial (hex) the actor presented, when relevant. */
  readonly certSerial?: string;
}

/**
 * One event for the log. `type` is a stable dotted name (e.g. `identity.refused`, `partner.added`,
 * `certificate.revoked`, `policy.decision`, `disclosure`); `details` holds type-specific fields that
 * must never contain a BSN or a disclosed value (pseudonyms and salted hashes only).
 */
export interface AuditRecord {
  readonly type: string;
  readonly actor?: AuditActor;
  /** W3C trace id and the request's transaction id (X-Request-Id). */
  readonly traceId?: string;
  readonly transactionId?: string;
  /** Logboek Dataverwerkingen: the processing activity this belongs to. */
  readonly processingActivity?: string;
  readonly subjectPseudonym?: string;
  /** Parties that may read this entry besides the auditor (partner ids). */
  readonly parties?: readonly string[];
  /** Rule 4: requests touching the AIVD are confidential processing. */
  readonly confidential?: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What the log returns once an entry is durably committed. */
export interface CommittedEntry {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Appends records and resolves only after they are committed (group commit under the hood).
 * Rejects with ERR_AUDIT_UNAVAILABLE when the log cannot be written: callers must then disclose nothing.
 */
export interface AuditAppender {
  append(record: AuditRecord): Promise<CommittedEntry>;
}
