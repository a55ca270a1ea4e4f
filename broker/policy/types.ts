// The policy's input and result, as policies/schema/input.json and schema/output/result.json define them.

/** Partner kinds the catalogue knows. */
export type PartnerKind = 'politie' | 'dkdb' | 'kmar' | 'om' | 'ggz' | 'aivd' | 'veiligheidshuis';

/** The case named in a request, as the case store holds it. */
export interface PolicyCase {
  readonly id: string;
  readonly status: 'open' | 'closed';
  readonly phase: 'melding' | 'informatie' | 'aanpak' | 'monitoring' | 'gesloten';
  readonly subject_pseudonym: string;
  readonly lead_partner: string;
  readonly emergency: boolean;
  readonly members: readonly { readonly partner_id: string; readonly role: string }[];
}

/** A consent recorded for the subject; only the holder's own consents count. */
export interface PolicyConsent {
  readonly id: string;
  readonly holder_partner_id: string;
  /** Partner ids or partner kinds. */
  readonly recipients: readonly string[];
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly valid_from_ms: number;
  /** Exclusive end. */
  readonly valid_until_ms: number;
  readonly withdrawn: boolean;
}

/** The holder's professional's decision on this very request. */
export interface PolicyReview {
  readonly request_id: string;
  readonly reviewer_partner_id: string;
  readonly reviewer_role: string;
  readonly decision: 'release' | 'refuse';
  readonly ground: 'toestemming' | 'conflict_van_plichten' | 'wettelijk_voorschrift' | 'ambtsbericht' | null;
  /** null: the ground's default fields. */
  readonly fields: readonly string[] | null;
  readonly considerations: {
    readonly toestemming: 'geweigerd' | 'niet_mogelijk' | 'te_gevaarlijk';
    readonly gewetensnood: boolean;
    readonly subsidiariteit: boolean;
    readonly schade: boolean;
    readonly doelmatigheid: boolean;
    readonly proportionaliteit: boolean;
    readonly collega_geraadpleegd: boolean;
  } | null;
  readonly provision: string | null;
  readonly reden_code: string | null;
}

/** One question to the policy: every field is required (null or [] when absent). */
export interface PolicyInput {
  /** The broker's clock, epoch ms UTC (opa-wasm has no clock). */
  readonly now_ms: number;
  readonly request_id: string;
  readonly requester: {
    readonly partner_id: string;
    readonly kind: PartnerKind;
    readonly national: boolean;
    readonly role: string;
    readonly user: string;
  };
  readonly holder: { readonly partner_id: string; readonly kind: PartnerKind };
  readonly subject: { readonly pseudonym: string };
  readonly case: PolicyCase | null;
  readonly purpose: string;
  readonly category: string;
  readonly justification: string | null;
  readonly consents: readonly PolicyConsent[];
  readonly review: PolicyReview | null;
  readonly dry_run: boolean;
}

/** A reason for the requester: a stable code and a Dutch and an English sentence. */
export interface PolicyReason {
  readonly code: string;
  readonly nl: string;
  readonly en: string;
}

/** The review a `review` decision asks for; for the broker and the holder's queue only. */
export interface PolicyReviewRequest {
  readonly reviewer_kind: string;
  readonly reviewer_partner_id: string;
  readonly reviewer_role: string;
  readonly ground_hint: string | null;
  readonly urgent: boolean;
  readonly basis_consent_ids: readonly string[];
  readonly problems: readonly string[];
}

/** The policy's answer to one question. */
export interface PolicyResult {
  readonly decision: 'permit' | 'deny' | 'review';
  /** Permitted field paths; empty unless permit. */
  readonly fields: readonly string[];
  readonly legal_basis: string | null;
  readonly gdpr_basis: string | null;
  /** Never empty. */
  readonly reasons: readonly PolicyReason[];
  readonly review: PolicyReviewRequest | null;
  readonly consent_ids: readonly string[];
  readonly grounds: readonly string[];
  readonly confidential: boolean;
  readonly obligations: readonly string[];
  readonly conditions: readonly string[];
  readonly dry_run: boolean;
}

/** A decision as the broker records it: the policy's result plus the bundle revision that made it. */
export interface PolicyDecision extends PolicyResult {
  /** The `.manifest` revision of the bundle that decided. */
  readonly revision: string;
}
