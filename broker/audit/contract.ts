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
  /** Logboek Dataverwerkingen and decision-log fields; set what applies to the event. */
  readonly requestId?: string;
  /** The partner holding the data (the requester is `actor.partnerId`). */
  readonly holder?: string;
  readonly category?: string;
  readonly purpose?: string;
  /** A decision (`permit`, `deny`, `review`) or an item outcome (`disclosed`, `denied`, ...). */
  readonly outcome?: string;
  /** Both bases: the ground for breaking a secret (e.g. `bg_toestemming`) and the GDPR basis (e.g. `avg_6_1_e`). */
  readonly legalBasis?: { readonly ground?: string; readonly gdpr?: string };
  readonly reasonCodes?: readonly string[];
  readonly policyRevision?: string;
  /** SHA-256 of the canonical policy input, so the decision can be replayed. */
  readonly policyInputHash?: string;
  /** Rule 7: names (never values) of fields withheld; readable only by the holder and the auditor. */
  readonly withheldFields?: readonly string[];
  /** Salted SHA-256 of exactly what was sent (see saltedPayloadHash); the nonce goes in the receipt only. */
  readonly payloadHash?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What the log returns once an entry is durably committed. */
export interface CommittedEntry {
  readonly seq: number;
  readonly hash: string;
  /** The size of the signed checkpoint committed with this entry (covers it). */
  readonly treeSize?: number;
  /** The signed checkpoint committed with this entry: the smallest that covers it. */
  readonly checkpoint?: CoveringCheckpoint;
}

/** A signed checkpoint as a receipt names it. */
export interface CoveringCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly jws: string;
}

/**
 * Appends records and resolves only after they are committed (group commit under the hood).
 * Rejects with ERR_AUDIT_UNAVAILABLE when the log cannot be written: callers must then disclose nothing.
 */
export interface AuditAppender {
  append(record: AuditRecord): Promise<CommittedEntry>;
}
