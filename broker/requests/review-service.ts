// The holder's review queue: the reviewing professional releases or refuses with a documented ground.
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { AuditAppender } from '../audit/contract.ts';
import { changeAfterLog } from '../audit/logged-change.ts';
import { holdsBsn, NO_BSN } from '../cases/bsn.ts';
import type { Caller } from '../cases/caller.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { PolicyReview } from '../policy/types.ts';
import type { Database } from '../store/schema.ts';
import type { ReviewsTable } from '../store/tables-requests.ts';
import { oneAtATime } from '../one-at-a-time.ts';

/** Logged text of a decision: never a BSN (422 naming the field, not a log write refused later). */
const loggedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !holdsBsn(text), NO_BSN);

/** The body of POST /v1/reviews/{id}/decision (DESIGN.md contract). */
export const reviewDecisionSchema = z
  .object({
    decision: z.enum(['release', 'refuse']),
    ground: z
      .enum(['toestemming', 'conflict_van_plichten', 'wettelijk_voorschrift', 'ambtsbericht'])
      .optional(),
    considerations: z
      .object({
        toestemming: z.enum(['geweigerd', 'niet_mogelijk', 'te_gevaarlijk']),
        gewetensnood: z.boolean(),
        subsidiariteit: z.boolean(),
        schade: z.boolean(),
        doelmatigheid: z.boolean(),
        proportionaliteit: z.boolean(),
        collegaGeraadpleegd: z.boolean(),
      })
      .strict()
      .optional(),
    provision: loggedText(200).optional(),
    fields: z.array(z.string().min(1).max(100)).max(50).optional(),
    redenCode: loggedText(64).optional(),
    toelichting: z
      .string()
      .max(2000)
      .refine((text) => !holdsBsn(text), NO_BSN)
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.decision === 'release' && b.ground === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ground'], message: 'required to release' });
    }
    if (b.ground === 'conflict_van_plichten' && b.decision === 'release') {
      if (b.considerations === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['considerations'],
          message: 'required for conflict_van_plichten',
        });
      } else {
        // Noodtoestand: all five conditions must hold; a colleague consult is recorded, not required.
        for (const key of [
          'gewetensnood',
          'subsidiariteit',
          'schade',
          'doelmatigheid',
          'proportionaliteit',
        ] as const) {
          if (!b.considerations[key])
            ctx.addIssue({
              code: 'custom',
              path: ['considerations', key],
              message: 'must hold to release on conflict_van_plichten',
            });
        }
      }
    }
    if (b.ground === 'wettelijk_voorschrift' && b.decision === 'release' && b.provision === undefined) {
      ctx.addIssue({ code: 'custom', path: ['provision'], message: 'required for wettelijk_voorschrift' });
    }
    if (b.decision === 'refuse' && b.redenCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['redenCode'], message: 'required to refuse' });
    }
  });
export type ReviewDecisionBody = z.infer<typeof reviewDecisionSchema>;

export interface ReviewView {
  readonly id: string;
  readonly requestId: string;
  readonly category: string;
  readonly purpose: string;
  readonly requester: string;
  readonly urgent: boolean;
  readonly dueAt: string;
}

/** A stored review as the decision reads it. */
export type ReviewRow = Selectable<ReviewsTable>;

/**
 * Why the policy would not open data on this release (its `review.problems`: RELEASE_CONSENT_NOT_VALID,
 * RELEASE_CONDITIONS_NOT_MET, ...); empty when the release would be accepted. The request service
 * answers it from the request's stored context.
 */
export type ReleaseCheck = (review: ReviewRow, decision: PolicyReview) => Promise<readonly string[]>;

/** The request field each problem of a release is about, so the professional sees where to look. */
const PROBLEM_FIELDS: Readonly<Record<string, string>> = {
  RELEASE_GROUND_NOT_ALLOWED: 'ground',
  RELEASE_CONSENT_NOT_VALID: 'ground',
  RELEASE_CONDITIONS_NOT_MET: 'considerations',
  RELEASE_PROVISION_MISSING: 'provision',
  RELEASE_NO_FIELDS: 'fields',
};

export interface ReviewServiceDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  /** Asked before a release is recorded; without it a release is recorded unchecked (tests only). */
  readonly checkRelease?: ReleaseCheck;
  readonly now?: () => Date;
}

/** @example const reviews = createReviewService({ db, audit, checkRelease }); */
export function createReviewService(deps: ReviewServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const deciding = oneAtATime();
  return {
    /** Pending reviews of the caller's partner that the caller's role decides. */
    async pending(caller: Caller): Promise<ReviewView[]> {
      const rows = await deps.db
        .selectFrom('reviews')
        .selectAll()
        .where('holder_partner_id', '=', caller.partner.id)
        .where('reviewer_role', '=', caller.user.role)
        .where('status', '=', 'pending')
        .orderBy('due_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        requestId: r.request_id,
        category: r.category,
        purpose: r.purpose,
        requester: r.requester_partner_id,
        urgent: r.urgent,
        dueAt: r.due_at.toISOString(),
      }));
    },

    /**
     * Records the professional's decision for this very request; the requester's next GET
     * evaluates it with the policy and, on a release the policy accepts, discloses. A release the
     * policy would not accept (no valid consent, the conditions not met, no provision, no field) is
     * refused with 422 naming its problems, and the review stays pending: recorded, it would close
     * the review without opening anything.
     *
     * @throws NotFoundError for a review of another holder or role; ConflictError when already decided
     *   or being decided; ValidationError for a release the policy would not accept.
     */
    async decide(
      caller: Caller,
      reviewId: string,
      body: ReviewDecisionBody,
    ): Promise<{ id: string; status: string }> {
      return deciding.run(
        reviewId,
        () => new ConflictError('The review is being decided.'),
        () => decideOnce(caller, reviewId, body),
      );
    },

    /** Consent withdrawn: cancel the pending reviews it was the basis for (rule 3). */
    async cancelForConsent(consentId: string): Promise<number> {
      const pending = await deps.db
        .selectFrom('reviews')
        .select(['id', 'basis_consent_ids'])
        .where('status', '=', 'pending')
        .execute();
      const ids = pending.filter((r) => r.basis_consent_ids.includes(consentId)).map((r) => r.id);
      if (ids.length === 0) return 0;
      await deps.db
        .updateTable('reviews')
        .set({ status: 'cancelled', decided_at: now() })
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .execute();
      return ids.length;
    },
  };

  async function decideOnce(
    caller: Caller,
    reviewId: string,
    body: ReviewDecisionBody,
  ): Promise<{ id: string; status: string }> {
    const review = await deps.db
      .selectFrom('reviews')
      .selectAll()
      .where('id', '=', reviewId)
      .executeTakeFirst();
    if (
      review === undefined ||
      review.holder_partner_id !== caller.partner.id ||
      review.reviewer_role !== caller.user.role
    ) {
      throw new NotFoundError('No such review.');
    }
    if (review.status !== 'pending') throw new ConflictError(`The review is already ${review.status}.`);
    if (body.ground === 'ambtsbericht' && caller.partner.kind !== 'aivd') {
      throw new ValidationError('Only the AIVD releases by ambtsbericht.', {
        errors: [{ field: 'ground', message: 'not available to this holder' }],
      });
    }
    const decision: PolicyReview = {
      request_id: review.request_id,
      reviewer_partner_id: caller.partner.id,
      reviewer_role: caller.user.role,
      decision: body.decision,
      ground: body.ground ?? null,
      fields: body.fields ?? null,
      considerations:
        body.considerations === undefined
          ? null
          : {
              toestemming: body.considerations.toestemming,
              gewetensnood: body.considerations.gewetensnood,
              subsidiariteit: body.considerations.subsidiariteit,
              schade: body.considerations.schade,
              doelmatigheid: body.considerations.doelmatigheid,
              proportionaliteit: body.considerations.proportionaliteit,
              collega_geraadpleegd: body.considerations.collegaGeraadpleegd,
            },
      provision: body.provision ?? null,
      reden_code: body.redenCode ?? null,
    };
    if (body.decision === 'release' && deps.checkRelease !== undefined) {
      const problems = await deps.checkRelease(review, decision);
      if (problems.length > 0) {
        throw new ValidationError('The policy would not open data on this release.', {
          errors: problems.map((code) => ({ field: PROBLEM_FIELDS[code] ?? 'decision', message: code })),
        });
      }
    }
    const status = body.decision === 'release' ? 'released' : 'refused';
    const actor = {
      partnerId: caller.partner.id,
      partnerKind: caller.partner.kind,
      user: caller.user.id,
      role: caller.user.role,
    };
    // Rule 4: anything touching the AIVD is confidential processing, whichever side it is on.
    const requester = await deps.db
      .selectFrom('partners')
      .select('kind')
      .where('id', '=', review.requester_partner_id)
      .executeTakeFirst();
    const confidential =
      caller.partner.kind === 'aivd' || requester === undefined || requester.kind === 'aivd';
    // What the decision's entry and, should it not take effect, its void entry both say.
    const about = {
      actor,
      processingActivity: 'dreigingsmanagement.beoordeling',
      parties: [caller.partner.id, review.requester_partner_id],
      confidential,
      requestId: review.request_id,
      holder: caller.partner.id,
      category: review.category,
      purpose: review.purpose,
      outcome: status,
    };
    await deps.audit.append({
      type: 'review.decided',
      ...about,
      ...(body.ground === undefined ? {} : { legalBasis: { ground: body.ground } }),
      details: {
        reviewId,
        considerations: decision.considerations,
        provision: decision.provision,
        redenCode: decision.reden_code,
      },
    });
    // Decided or cancelled meanwhile (another process, or a consent withdrawn), or the write
    // failed: the log already says decided, so it says too that this decision did not take effect.
    await changeAfterLog(
      deps.audit,
      () =>
        deps.db
          .updateTable('reviews')
          .set({
            status,
            decision: JSON.stringify(decision),
            decided_by_user: caller.user.id,
            decided_at: now(),
          })
          .where('id', '=', reviewId)
          .where('status', '=', 'pending')
          .executeTakeFirst(),
      (updated) => Number(updated.numUpdatedRows) === 1,
      {
        type: 'review.decision_void',
        ...about,
        details: { reviewId, reason: 'the decision was not stored' },
      },
      () => new ConflictError('The review was decided meanwhile.'),
    );
    return { id: reviewId, status };
  }
}

export type ReviewService = ReturnType<typeof createReviewService>;
