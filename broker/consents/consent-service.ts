// Consents: recorded and withdrawn only by the holder of the categories they cover; every change is logged.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditAppender } from '../audit/contract.ts';
import type { Caller } from '../cases/caller.ts';
import { holdsBsn, NO_BSN, subjectSchema } from '../cases/bsn.ts';
import { instantSchema, partnerIdSchema } from '../cases/vocabulary.ts';
import { isGranted, type Catalogue } from '../catalogue.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { newRowId } from '../store/row-id.ts';
import type { Database } from '../store/schema.ts';

const KINDS = ['ggz', 'politie', 'om', 'kmar', 'dkdb', 'aivd', 'veiligheidshuis'] as const;

/** The body of POST /v1/consents (DESIGN.md contract). */
export const consentBodySchema = z
  .object({
    subject: subjectSchema,
    grantedBy: z.enum(['betrokkene', 'vertegenwoordiger']),
    // Stored with the consent: a BSN is never stored, the subject only as its pseudonym.
    evidence: z
      .string()
      .min(1)
      .max(500)
      .refine((text) => !holdsBsn(text), NO_BSN),
    // Logged: a partner id that is nine digits passing the elfproef would be a BSN in the log.
    recipients: z
      .array(z.union([z.enum(KINDS), partnerIdSchema]))
      .min(1)
      .max(50),
    purposes: z.array(z.string().min(1).max(64)).min(1).max(10),
    categories: z.array(z.string().min(1).max(64)).min(1).max(20),
    // Logged as sent and stored as timestamps: at most milliseconds, years 1 to 9999.
    validFrom: instantSchema,
    validUntil: instantSchema,
  })
  .strict()
  .refine((b) => Date.parse(b.validUntil) > Date.parse(b.validFrom), {
    message: 'must be after validFrom',
    path: ['validUntil'],
  });
export type ConsentBody = z.infer<typeof consentBodySchema>;

/** A consent as the holder sees it (no BSN). */
export interface ConsentView {
  readonly id: string;
  readonly holder: string;
  readonly grantedBy: string;
  readonly recipients: readonly string[];
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly withdrawnAt?: string;
}

/** What the policy input needs of a consent. */
export interface ActiveConsent {
  readonly id: string;
  readonly holderPartnerId: string;
  readonly recipients: readonly string[];
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly validFrom: Date;
  readonly validUntil: Date;
}

export interface ConsentServiceDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  readonly catalogue: Catalogue;
  readonly pseudonymise: (bsn: string) => string;
  readonly pseudonymCandidates: (bsn: string) => string[];
  /** Called after a withdrawal is committed, to cancel the pending reviews it was the basis for. */
  readonly onWithdrawn?: (consentId: string) => Promise<void>;
  readonly now?: () => Date;
}

/** @example const consents = createConsentService({ db, audit, catalogue, pseudonymise, pseudonymCandidates }); */
export function createConsentService(deps: ConsentServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function audit(
    type: string,
    caller: Caller,
    consentId: string,
    subjectPseudonym: string,
    details: Record<string, unknown>,
  ) {
    return deps.audit.append({
      type,
      actor: {
        partnerId: caller.partner.id,
        partnerKind: caller.partner.kind,
        user: caller.user.id,
        role: caller.user.role,
      },
      processingActivity: 'dreigingsmanagement.toestemming',
      subjectPseudonym,
      // Only the holder reads its consent entries: their existence would reveal that the person is in care.
      parties: [caller.partner.id],
      details: { consentId, ...details },
    });
  }

  return {
    /**
     * Records a consent for the caller's own categories.
     *
     * @throws ForbiddenError (ERR_FORBIDDEN) unless the caller's kind and role may record consents
     *   and every category is held by the caller's kind.
     * @throws ValidationError for unknown categories or purposes.
     */
    async record(caller: Caller, body: ConsentBody): Promise<ConsentView> {
      if (!isGranted(deps.catalogue.permissions.record_consent, caller.partner.kind, caller.user.role)) {
        throw new ForbiddenError(
          'Only the holder of the categories records a consent (a GGZ behandelaar or zorgcoordinator).',
        );
      }
      // Own names only: `toString` or `__proto__` is no category, whatever the object inherits.
      const unknown = body.categories.filter((c) => !Object.hasOwn(deps.catalogue.categories, c));
      if (unknown.length > 0) {
        throw new ValidationError('Unknown category.', {
          errors: [{ field: 'categories', message: `unknown: ${unknown.join(', ')}` }],
        });
      }
      const purposes = deps.catalogue.purposes;
      const unknownPurposes = body.purposes.filter(
        (p) => typeof purposes !== 'object' || purposes === null || !Object.hasOwn(purposes, p),
      );
      if (unknownPurposes.length > 0) {
        throw new ValidationError('Unknown purpose.', {
          errors: [{ field: 'purposes', message: `unknown: ${unknownPurposes.join(', ')}` }],
        });
      }
      const foreign = body.categories.filter(
        (c) => deps.catalogue.categories[c]?.holder_kind !== caller.partner.kind,
      );
      if (foreign.length > 0) {
        throw new ForbiddenError(
          `Only the holder of a category records consent for it: ${foreign.join(', ')}.`,
        );
      }
      const id = newRowId();
      const subjectPseudonym = deps.pseudonymise(body.subject.bsn);
      await audit('consent.recorded', caller, id, subjectPseudonym, {
        grantedBy: body.grantedBy,
        recipients: body.recipients,
        purposes: body.purposes,
        categories: body.categories,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
      });
      try {
        await deps.db
          .insertInto('consents')
          .values({
            id,
            subject_pseudonym: subjectPseudonym,
            holder_partner_id: caller.partner.id,
            granted_by: body.grantedBy,
            evidence: body.evidence,
            recipients: JSON.stringify(body.recipients),
            purposes: JSON.stringify(body.purposes),
            categories: JSON.stringify(body.categories),
            valid_from: new Date(body.validFrom),
            valid_until: new Date(body.validUntil),
            recorded_by_user: caller.user.id,
            recorded_at: now(),
            withdrawn_at: null,
            withdrawn_by_user: null,
          })
          .execute();
      } catch (error) {
        // NOTE: the log already says recorded: say that it was not, so that the log names no consent
        // that never stood. If even that cannot be written, the caller gets the database's error
        // either way (as the cause, so a database that went away is still 503).
        await audit('consent.recording_failed', caller, id, subjectPseudonym, {
          reason: 'the database did not record the consent',
        }).catch((appendError: unknown) => {
          throw new AggregateError(
            [error, appendError],
            'the log says this consent was recorded, but the database did not record it and that could not be logged',
            { cause: error },
          );
        });
        throw error;
      }
      return {
        id,
        holder: caller.partner.id,
        grantedBy: body.grantedBy,
        recipients: body.recipients,
        purposes: body.purposes,
        categories: body.categories,
        validFrom: new Date(body.validFrom).toISOString(),
        validUntil: new Date(body.validUntil).toISOString(),
      };
    },

    /**
     * Withdraws a consent at once. Another partner's consent is 404: its existence is not theirs to know.
     *
     * @throws NotFoundError (ERR_NOT_FOUND)
     */
    async withdraw(caller: Caller, consentId: string): Promise<void> {
      const row = await deps.db
        .selectFrom('consents')
        .selectAll()
        .where('id', '=', consentId)
        .executeTakeFirst();
      if (row === undefined || row.holder_partner_id !== caller.partner.id || row.withdrawn_at !== null) {
        throw new NotFoundError('No such consent.');
      }
      if (!isGranted(deps.catalogue.permissions.record_consent, caller.partner.kind, caller.user.role)) {
        throw new NotFoundError('No such consent.');
      }
      await audit('consent.withdrawn', caller, consentId, row.subject_pseudonym, {});
      await deps.db
        .updateTable('consents')
        .set({ withdrawn_at: now(), withdrawn_by_user: caller.user.id })
        .where('id', '=', consentId)
        .where('withdrawn_at', 'is', null)
        .execute();
      await deps.onWithdrawn?.(consentId);
    },

    /** The consents in force for a person (any key generation of the pseudonym), for the policy input. */
    async activeFor(bsn: string): Promise<ActiveConsent[]> {
      const rows = await deps.db
        .selectFrom('consents')
        .selectAll()
        .where('subject_pseudonym', 'in', deps.pseudonymCandidates(bsn))
        .where('withdrawn_at', 'is', null)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        holderPartnerId: r.holder_partner_id,
        recipients: r.recipients,
        purposes: r.purposes,
        categories: r.categories,
        validFrom: r.valid_from,
        validUntil: r.valid_until,
      }));
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
