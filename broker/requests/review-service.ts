// The holder's review queue: the reviewing professional releases or refuses with a documented ground.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditAppender } from '../audit/contract.ts';
import type { Caller } from '../cases/caller.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { PolicyReview } from '../policy/types.ts';
import type { Database } from '../store/schema.ts';

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
    provision: z.string().min(1).max(200).optional(),
    fields: z.array(z.string().min(1).max(100)).max(50).optional(),
    redenCode: z.string().min(1).max(64).optional(),
    toelichting: z.string().max(2000).optional(),
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

/** @example const reviews = createReviewService({ db, audit }); */
export function createReviewService(deps: { db: Kysely<Database>; audit: AuditAppender; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
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
     * evaluates it with the policy and, on a release the policy accepts, discloses.
     *
     * @throws NotFoundError for a review of another holder or role; ConflictError when already decided.
     */
    async decide(
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
      const status = body.decision === 'release' ? 'released' : 'refused';
      await deps.audit.append({
        type: 'review.decided',
        actor: {
          partnerId: caller.partner.id,
          partnerKind: caller.partner.kind,
          user: caller.user.id,
          role: caller.user.role,
        },
        processingActivity: 'dreigingsmanagement.beoordeling',
        parties: [caller.partner.id, review.requester_partner_id],
        confidential: caller.partner.kind === 'aivd' || review.requester_partner_id.includes('aivd'),
        requestId: review.request_id,
        holder: caller.partner.id,
        category: review.category,
        purpose: review.purpose,
        outcome: status,
        ...(body.ground === undefined ? {} : { legalBasis: { ground: body.ground } }),
        details: {
          reviewId,
          considerations: decision.considerations,
          provision: decision.provision,
          redenCode: decision.reden_code,
        },
      });
      const updated = await deps.db
        .updateTable('reviews')
        .set({
          status,
          decision: JSON.stringify(decision),
          decided_by_user: caller.user.id,
          decided_at: now(),
        })
        .where('id', '=', reviewId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new ConflictError('The review was decided meanwhile.');
      return { id: reviewId, status };
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
        .execute();
      return ids.length;
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
