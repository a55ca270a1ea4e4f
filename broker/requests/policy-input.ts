// Builds the policy's input from what the broker verified: caller, holder, case, consents, review, clock.
import type { CaseRecord } from '../cases/case-service.ts';
import type { ActiveConsent } from '../consents/consent-service.ts';
import type { PolicyInput, PolicyReview } from '../policy/types.ts';
import type { PartnerKind } from '../store/schema.ts';

/** The requesting side as identity verified it. */
export interface Requester {
  readonly partner: { readonly id: string; readonly kind: PartnerKind; readonly national?: boolean };
  readonly user: { readonly id: string; readonly role: string };
}

export interface PolicyQuestion {
  readonly requestId: string;
  readonly requester: Requester;
  readonly holder: { readonly id: string; readonly kind: PartnerKind };
  readonly subjectPseudonym: string;
  readonly caseRecord: CaseRecord | undefined;
  readonly purpose: string;
  readonly category: string;
  readonly justification: string | undefined;
  readonly consents: readonly ActiveConsent[];
  readonly review: PolicyReview | null;
  readonly now: Date;
  readonly dryRun?: boolean;
}

/** The policy input for one (holder, category) question. Only the holder's own consents are passed. */
export function toPolicyInput(q: PolicyQuestion): PolicyInput {
  return {
    now_ms: q.now.getTime(),
    request_id: q.requestId,
    requester: {
      partner_id: q.requester.partner.id,
      kind: q.requester.partner.kind,
      national: q.requester.partner.national ?? false,
      role: q.requester.user.role,
      user: q.requester.user.id,
    },
    holder: { partner_id: q.holder.id, kind: q.holder.kind },
    subject: { pseudonym: q.subjectPseudonym },
    case:
      q.caseRecord === undefined
        ? null
        : {
            id: q.caseRecord.id,
            status: q.caseRecord.status,
            phase: q.caseRecord.phase,
            subject_pseudonym: q.caseRecord.subjectPseudonym,
            lead_partner: q.caseRecord.leadPartnerId,
            emergency: q.caseRecord.emergency,
            members: q.caseRecord.members.map((m) => ({ partner_id: m.partnerId, role: m.role })),
          },
    purpose: q.purpose,
    category: q.category,
    justification: q.justification ?? null,
    consents: q.consents
      .filter((c) => c.holderPartnerId === q.holder.id)
      .map((c) => ({
        id: c.id,
        holder_partner_id: c.holderPartnerId,
        recipients: c.recipients,
        purposes: c.purposes,
        categories: c.categories,
        valid_from_ms: c.validFrom.getTime(),
        valid_until_ms: c.validUntil.getTime(),
        withdrawn: false,
      })),
    review: q.review,
    dry_run: q.dryRun ?? false,
  };
}
