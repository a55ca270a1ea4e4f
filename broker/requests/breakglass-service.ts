// Privacy officers review every break-glass use (rule 6); uses not reviewed within 72 hours are flagged.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditAppender } from '../audit/contract.ts';
import { changeAfterLog } from '../audit/logged-change.ts';
import { holdsBsn, NO_BSN } from '../cases/bsn.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Database } from '../store/schema.ts';
import { oneAtATime } from '../one-at-a-time.ts';

const REVIEW_WITHIN_MS = 72 * 3_600_000;

export const breakglassReviewSchema = z
  .object({
    verdict: z.enum(['gerechtvaardigd', 'niet_gerechtvaardigd']),
    // Shown on the privacy officers' pages: never a BSN.
    toelichting: z
      .string()
      .min(1)
      .max(2000)
      .refine((text) => !holdsBsn(text), NO_BSN)
      .optional(),
  })
  .strict();
export type BreakglassReviewBody = z.infer<typeof breakglassReviewSchema>;

/** A break-glass use as the privacy officer sees it (no person data: the case id and pseudonymous user). */
export interface BreakglassUse {
  readonly requestId: string;
  readonly caseId: string;
  readonly requester: string;
  readonly requesterUser: string;
  readonly requesterRole: string;
  readonly justification: string | null;
  readonly at: string;
  readonly reviewDueAt: string;
  readonly overdue: boolean;
  readonly review?: { verdict: string; by: string; at: string };
}

/** The privacy officer who reviews. */
export interface Reviewer {
  readonly id: string;
  readonly partnerId: string;
}

/** @example const breakglass = createBreakglassService({ db, audit }); */
export function createBreakglassService(deps: {
  db: Kysely<Database>;
  audit: AuditAppender;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const reviewing = oneAtATime();
  const service = {
    /** Every break-glass use, newest first, with its review or whether it is overdue. */
    async list(): Promise<BreakglassUse[]> {
      const rows = await deps.db
        .selectFrom('info_requests')
        .leftJoin('breakglass_reviews', 'breakglass_reviews.request_id', 'info_requests.id')
        .select([
          'info_requests.id',
          'info_requests.case_id',
          'info_requests.requester_partner_id',
          'info_requests.requester_user',
          'info_requests.requester_role',
          'info_requests.justification',
          'info_requests.created_at',
          'breakglass_reviews.verdict',
          'breakglass_reviews.reviewed_by_person',
          'breakglass_reviews.reviewed_at',
        ])
        .where('info_requests.purpose', '=', 'acuut_gevaar')
        .orderBy('info_requests.created_at', 'desc')
        .execute();
      const at = now().getTime();
      return rows.map((r) => {
        const due = r.created_at.getTime() + REVIEW_WITHIN_MS;
        return {
          requestId: r.id,
          caseId: r.case_id,
          requester: r.requester_partner_id,
          requesterUser: r.requester_user,
          requesterRole: r.requester_role,
          justification: r.justification,
          at: r.created_at.toISOString(),
          reviewDueAt: new Date(due).toISOString(),
          overdue: r.verdict === null && at > due,
          ...(r.verdict === null || r.reviewed_by_person === null || r.reviewed_at === null
            ? {}
            : { review: { verdict: r.verdict, by: r.reviewed_by_person, at: r.reviewed_at.toISOString() } }),
        };
      });
    },

    /**
     * Records the review; logged before it is stored.
     *
     * @throws NotFoundError for anything but a break-glass request; ConflictError when already reviewed.
     */
    async review(reviewer: Reviewer, requestId: string, body: BreakglassReviewBody): Promise<BreakglassUse> {
      return reviewing.run(
        requestId,
        () => new ConflictError('This break-glass use is being reviewed.'),
        () => reviewOnce(reviewer, requestId, body),
      );
    },
  };
  return service;

  /** One review of a use; `review` keeps a second one in this process from starting meanwhile. */
  async function reviewOnce(
    reviewer: Reviewer,
    requestId: string,
    body: BreakglassReviewBody,
  ): Promise<BreakglassUse> {
    const request = await deps.db
      .selectFrom('info_requests')
      .select(['id', 'purpose', 'requester_partner_id'])
      .where('id', '=', requestId)
      .executeTakeFirst();
    if (request === undefined || request.purpose !== 'acuut_gevaar')
      throw new NotFoundError('No such break-glass use.');
    const existing = await deps.db
      .selectFrom('breakglass_reviews')
      .select('request_id')
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (existing !== undefined) throw new ConflictError('This break-glass use has been reviewed already.');
    await deps.audit.append({
      type: 'breakglass.reviewed',
      actor: { partnerId: reviewer.partnerId, personId: reviewer.id, role: 'privacy_officer' },
      processingActivity: 'dreigingsmanagement.doorbraak_toetsing',
      parties: [request.requester_partner_id],
      requestId,
      outcome: body.verdict,
      details: { verdict: body.verdict },
    });
    // Reviewed meanwhile by another process, or the write failed: the log already says reviewed,
    // so it says too that this review did not take effect.
    await changeAfterLog(
      deps.audit,
      () =>
        deps.db
          .insertInto('breakglass_reviews')
          .values({
            request_id: requestId,
            verdict: body.verdict,
            toelichting: body.toelichting ?? null,
            reviewed_by_person: reviewer.id,
            reviewed_at: now(),
          })
          .onConflict((oc) => oc.column('request_id').doNothing())
          .executeTakeFirst(),
      (stored) => Number(stored.numInsertedOrUpdatedRows ?? 0n) === 1,
      {
        type: 'breakglass.review_void',
        actor: { partnerId: reviewer.partnerId, personId: reviewer.id, role: 'privacy_officer' },
        processingActivity: 'dreigingsmanagement.doorbraak_toetsing',
        parties: [request.requester_partner_id],
        requestId,
        outcome: body.verdict,
        details: { reason: 'the review was not stored' },
      },
      () => new ConflictError('This break-glass use has been reviewed already.'),
    );
    return (await service.list()).find((u) => u.requestId === requestId)!;
  }
}

export type BreakglassService = ReturnType<typeof createBreakglassService>;
