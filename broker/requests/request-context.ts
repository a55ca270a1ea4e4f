// What a request in a registered case is decided on (the case, its members, the consents in force) in one statement.
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { CaseRecord } from '../cases/case-service.ts';
import type { ActiveConsent } from '../consents/consent-service.ts';
import type { Database } from '../store/schema.ts';

/** The case with its members and the subject's consents in force, as read by one statement. */
export interface RequestContext {
  readonly caseRecord: CaseRecord;
  readonly consents: readonly ActiveConsent[];
}

/**
 * Reads a case with its members (in the order they were added) and the consents not withdrawn for
 * any of the subject's pseudonyms (every key generation), in one statement and so from one snapshot:
 * the same as `cases.load` and `consents.activeFor` together, one round trip instead of two. Read
 * for every request, never kept: a withdrawal or a closure committed before it is always seen.
 *
 * @returns undefined when there is no such case.
 * @example const context = await loadRequestContext(db, caseId, pseudonyms.candidates(bsn));
 */
export async function loadRequestContext(
  db: Kysely<Database>,
  caseId: string,
  subjectPseudonyms: readonly string[],
): Promise<RequestContext | undefined> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => [
      'cases.id',
      'cases.subject_pseudonym',
      'cases.status',
      'cases.phase',
      'cases.lead_partner_id',
      'cases.emergency',
      jsonArrayFrom(
        eb
          .selectFrom('case_members')
          .innerJoin('partners', 'partners.id', 'case_members.partner_id')
          .select([
            'case_members.partner_id as partnerId',
            'partners.kind as kind',
            'case_members.role as role',
          ])
          .whereRef('case_members.case_id', '=', 'cases.id')
          .orderBy('case_members.added_at'),
      ).as('members'),
      jsonArrayFrom(
        eb
          .selectFrom('consents')
          .select([
            'consents.id as id',
            'consents.holder_partner_id as holderPartnerId',
            'consents.recipients as recipients',
            'consents.purposes as purposes',
            'consents.categories as categories',
            'consents.valid_from as validFrom',
            'consents.valid_until as validUntil',
          ])
          // No pseudonym matches an empty list: no consents rather than a syntax error.
          .where(
            'consents.subject_pseudonym',
            'in',
            subjectPseudonyms.length === 0 ? [''] : [...subjectPseudonyms],
          )
          .where('consents.withdrawn_at', 'is', null),
      ).as('consents'),
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    caseRecord: {
      id: row.id,
      subjectPseudonym: row.subject_pseudonym,
      status: row.status,
      phase: row.phase,
      leadPartnerId: row.lead_partner_id,
      emergency: row.emergency,
      members: row.members.map((m) => ({ partnerId: m.partnerId, kind: m.kind, role: m.role })),
    },
    // JSON carries the validity as ISO 8601 text with its offset.
    consents: row.consents.map((c) => ({
      id: c.id,
      holderPartnerId: c.holderPartnerId,
      recipients: c.recipients,
      purposes: c.purposes,
      categories: c.categories,
      validFrom: new Date(c.validFrom),
      validUntil: new Date(c.validUntil),
    })),
  };
}
