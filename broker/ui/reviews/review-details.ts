// What a reviewing professional needs to decide, beyond the queue entry: who asks and why, the case phase, consent on file.
import type { Kysely } from 'kysely';
import type { ReviewView } from '../../requests/review-service.ts';
import type { Database } from '../../store/schema.ts';

/** A pending review with its context. Holds no BSN: the case id and the requester's own justification. */
export interface ReviewDetails extends ReviewView {
  readonly caseId: string;
  readonly phase: string;
  readonly requesterOrganisation: string;
  readonly requesterRole: string;
  readonly justification: string | null;
  readonly consentOnFile: boolean;
}

/**
 * Adds the request's context to reviews the review service already chose for this caller (so the
 * service stays the one place that decides whose queue a review is in).
 */
export async function reviewDetails(
  db: Kysely<Database>,
  reviews: readonly ReviewView[],
): Promise<ReviewDetails[]> {
  if (reviews.length === 0) return [];
  const rows = await db
    .selectFrom('reviews')
    .innerJoin('info_requests', 'info_requests.id', 'reviews.request_id')
    .innerJoin('cases', 'cases.id', 'info_requests.case_id')
    .innerJoin('partners', 'partners.id', 'reviews.requester_partner_id')
    .select([
      'reviews.id',
      'reviews.basis_consent_ids',
      'info_requests.case_id',
      'info_requests.requester_role',
      'info_requests.justification',
      'cases.phase',
      'partners.organisation',
    ])
    .where(
      'reviews.id',
      'in',
      reviews.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return reviews.flatMap((review) => {
    const row = byId.get(review.id);
    if (row === undefined) return [];
    return [
      {
        ...review,
        caseId: row.case_id,
        phase: row.phase,
        requesterOrganisation: row.organisation,
        requesterRole: row.requester_role,
        justification: row.justification,
        consentOnFile: row.basis_consent_ids.length > 0,
      },
    ];
  });
}
