// Cases: open from a melding, membership, structured events and the phase they drive; every change is logged.
import { oneAtATime } from '../one-at-a-time.ts';
import type { Kysely } from 'kysely';
import type { AuditAppender, AuditRecord } from '../audit/contract.ts';
import { changeAfterLog } from '../audit/logged-change.ts';
import { isGranted, isRoleOfKind, type Catalogue } from '../catalogue.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { validate } from '../http/json-body.ts';
import { newRowId } from '../store/row-id.ts';
import type { Database } from '../store/schema.ts';
import type { Caller } from './caller.ts';
import {
  AlreadyMemberError,
  CaseActionForbiddenError,
  CaseClosedError,
  CaseNotFoundError,
} from './errors.ts';
import { EVENT_SCHEMAS, MEDICAL_EVENT_TYPES, eventPermission, phaseAfter, type EventType } from './events.ts';
import type { Melding, Phase } from './vocabulary.ts';

export interface CaseMemberView {
  readonly partner: string;
  readonly kind: string;
  readonly role: string;
}

export interface CaseEventView {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface CaseView {
  readonly id: string;
  readonly status: 'open' | 'closed';
  readonly phase: Phase;
  readonly lead: string;
  readonly emergency: boolean;
  readonly takeoverDueAt?: string;
  readonly createdAt: string;
  readonly members: readonly CaseMemberView[];
  readonly events: readonly CaseEventView[];
}

export interface CaseServiceDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  readonly catalogue: Catalogue;
  readonly pseudonymise: (bsn: string) => string;
  readonly now?: () => Date;
}

/** A case row plus what access decisions need. */
export interface CaseRecord {
  readonly id: string;
  readonly subjectPseudonym: string;
  readonly status: 'open' | 'closed';
  readonly phase: Phase;
  readonly leadPartnerId: string;
  readonly emergency: boolean;
  readonly members: readonly { partnerId: string; kind: string; role: string }[];
}

const EMERGENCY_TAKEOVER_MS = 72 * 60 * 60 * 1000;

/** Creates the case service. @example const cases = createCaseService({ db, audit, catalogue, pseudonymise }); */
export function createCaseService(deps: CaseServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const adding = oneAtATime();

  /** The case with its members in one query (every information request loads its case). */
  async function load(caseId: string): Promise<CaseRecord | undefined> {
    const rows = await deps.db
      .selectFrom('cases')
      .leftJoin('case_members', 'case_members.case_id', 'cases.id')
      .leftJoin('partners', 'partners.id', 'case_members.partner_id')
      .select([
        'cases.id as id',
        'cases.subject_pseudonym as subjectPseudonym',
        'cases.status as status',
        'cases.phase as phase',
        'cases.lead_partner_id as leadPartnerId',
        'cases.emergency as emergency',
        'case_members.partner_id as partnerId',
        'partners.kind as kind',
        'case_members.role as role',
      ])
      .where('cases.id', '=', caseId)
      .orderBy('case_members.added_at')
      .execute();
    const row = rows[0];
    if (row === undefined) return undefined;
    const members = rows.flatMap((r) =>
      r.partnerId === null || r.kind === null || r.role === null
        ? []
        : [{ partnerId: r.partnerId, kind: r.kind, role: r.role }],
    );
    return {
      id: row.id,
      subjectPseudonym: row.subjectPseudonym,
      status: row.status,
      phase: row.phase,
      leadPartnerId: row.leadPartnerId,
      emergency: row.emergency,
      members,
    };
  }

  /** Loads a case the caller's partner is a member of; anything else is 404. */
  async function loadVisible(caller: Caller, caseId: string): Promise<CaseRecord> {
    const record = await load(caseId);
    if (record === undefined || !record.members.some((m) => m.partnerId === caller.partner.id)) {
      throw new CaseNotFoundError('No such case, or you are not a member of it.');
    }
    return record;
  }

  async function view(caller: Caller, record: CaseRecord): Promise<CaseView> {
    const row = await deps.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    // Rule 4: the AIVD's membership is visible only to the case lead and the AIVD itself.
    const seesAivd = caller.partner.id === record.leadPartnerId || caller.partner.kind === 'aivd';
    const members = record.members
      .filter((m) => m.kind !== 'aivd' || seesAivd)
      .map((m) => ({ partner: m.partnerId, kind: m.kind, role: m.role }));
    const events = await deps.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', record.id)
      .orderBy('seq')
      .execute();
    const visibleEvents = events
      // Medical case events are themselves medical: only GGZ members read them.
      .filter((e) => !e.medical || caller.partner.kind === 'ggz')
      .filter(
        (e) => seesAivd || record.members.find((m) => m.partnerId === e.recorded_by_partner)?.kind !== 'aivd',
      )
      .map((e) => ({
        id: e.id,
        type: e.type,
        data: e.data,
        recordedBy: e.recorded_by_partner,
        recordedAt: e.recorded_at.toISOString(),
      }));
    return {
      id: record.id,
      status: record.status,
      phase: record.phase,
      lead: record.leadPartnerId,
      emergency: record.emergency,
      ...(row.takeover_due_at === null ? {} : { takeoverDueAt: row.takeover_due_at.toISOString() }),
      createdAt: row.created_at.toISOString(),
      members,
      events: visibleEvents,
    };
  }

  /** A case change's log record: the actor, the case's visibility, and what changed. */
  function caseRecord(
    type: string,
    caller: Caller,
    record: { id: string; members: readonly { partnerId: string; kind: string }[] },
    details: Record<string, unknown>,
    options: { subjectPseudonym?: string; medical?: boolean } = {},
  ): AuditRecord {
    const { subjectPseudonym, medical = false } = options;
    return {
      type,
      actor: {
        partnerId: caller.partner.id,
        partnerKind: caller.partner.kind,
        user: caller.user.id,
        role: caller.user.role,
      },
      processingActivity: 'dreigingsmanagement.casus',
      ...(subjectPseudonym === undefined ? {} : { subjectPseudonym }),
      ...caseEntryVisibility(caller, record.members, details, medical),
      details: { caseId: record.id, ...details },
    };
  }

  function auditCase(...args: Parameters<typeof caseRecord>) {
    return deps.audit.append(caseRecord(...args));
  }

  /** Inserts a case with its opener as lead and member; a melding makes it a regular case, none an emergency one. */
  async function insertCase(caller: Caller, bsn: string, melding: Melding | undefined): Promise<string> {
    const emergency = melding === undefined;
    const id = newRowId();
    const subjectPseudonym = deps.pseudonymise(bsn);
    const opened = now();
    const members = [{ partnerId: caller.partner.id, kind: caller.partner.kind }];
    // NOTE: the log entry is committed before the case exists for anyone to see.
    await auditCase(
      'case.opened',
      caller,
      { id, members },
      emergency ? { emergency } : { emergency, melding: { kanaal: melding.kanaal, bron: melding.bron } },
      { subjectPseudonym },
    );
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('cases')
        .values({
          id,
          subject_pseudonym: subjectPseudonym,
          status: 'open',
          phase: 'melding',
          lead_partner_id: caller.partner.id,
          emergency,
          takeover_due_at: emergency ? new Date(opened.getTime() + EMERGENCY_TAKEOVER_MS) : null,
          opened_by_user: caller.user.id,
          created_at: opened,
          closed_at: null,
        })
        .execute();
      await trx
        .insertInto('case_members')
        .values({
          case_id: id,
          partner_id: caller.partner.id,
          role: caller.user.role,
          added_by_user: caller.user.id,
          added_at: opened,
        })
        .execute();
      if (melding !== undefined) {
        await trx
          .insertInto('case_events')
          .values({
            id: newRowId(),
            case_id: id,
            type: 'melding_ontvangen',
            data: JSON.stringify(melding),
            medical: false,
            recorded_by_partner: caller.partner.id,
            recorded_by_user: caller.user.id,
            recorded_at: opened,
          })
          .execute();
      }
    });
    return id;
  }

  return {
    load,
    loadVisible,

    /**
     * Opens a case from a report: the caller's partner becomes lead and member in the caller's role;
     * `melding_ontvangen` is recorded as the first event.
     *
     * @throws ForbiddenError (ERR_FORBIDDEN) unless a politie casusregisseur or teamleider opens it.
     */
    async open(caller: Caller, input: { bsn: string; melding: Melding }): Promise<CaseView> {
      if (!isGranted(deps.catalogue.permissions.open_case, caller.partner.kind, caller.user.role)) {
        throw new ForbiddenError('Only a politie casusregisseur or teamleider opens a case.');
      }
      const id = await insertCase(caller, input.bsn, input.melding);
      return view(caller, (await load(id))!);
    },

    /**
     * Opens an emergency case for break-glass without one (rule 6): phase melding, the requester's
     * partner as lead; a politie casusregisseur must take it over or close it within 72 hours.
     */
    openEmergency(caller: Caller, bsn: string): Promise<string> {
      return insertCase(caller, bsn, undefined);
    },

    /** The case as the caller may see it. @throws CaseNotFoundError (ERR_CASE_NOT_FOUND) */
    async get(caller: Caller, caseId: string): Promise<CaseView> {
      return view(caller, await loadVisible(caller, caseId));
    },

    /**
     * Adds a partner to the team in a role of its kind.
     *
     * @throws CaseActionForbiddenError unless the lead's casusregisseur (or, in an emergency case, the opener's partner) asks.
     * @throws ValidationError when the partner is unknown or the role is not one of its kind.
     * @throws AlreadyMemberError (409).
     */
    async addMember(
      caller: Caller,
      caseId: string,
      input: { partner: string; role: string },
    ): Promise<CaseView> {
      const record = await loadVisible(caller, caseId);
      const isLead = caller.partner.id === record.leadPartnerId;
      if (!isLead || (!record.emergency && caller.user.role !== 'casusregisseur')) {
        throw new CaseActionForbiddenError("Only the case lead's casusregisseur manages the team.");
      }
      if (record.status === 'closed') throw new CaseClosedError('The case is closed.');
      const partner = await deps.db
        .selectFrom('partners')
        .select(['id', 'kind'])
        .where('id', '=', input.partner)
        .executeTakeFirst();
      if (partner === undefined) {
        throw new ValidationError('Unknown partner.', {
          errors: [{ field: 'partner', message: 'not a registered partner' }],
        });
      }
      if (!isRoleOfKind(deps.catalogue, partner.kind, input.role)) {
        throw new ValidationError('Role does not belong to this partner kind.', {
          errors: [{ field: 'role', message: `not a role of a ${partner.kind} partner` }],
        });
      }
      if (record.members.some((m) => m.partnerId === partner.id))
        throw new AlreadyMemberError('Already a member.');
      const members = [...record.members, { partnerId: partner.id, kind: partner.kind, role: input.role }];
      // NOTE: logged before the membership exists (the log is the authority: a membership never
      // stands unlogged). Two adds of one partner in this process: the second is refused before it
      // logs; across processes the insert decides, and the loser's entry is voided.
      await adding.run(
        `${caseId} ${partner.id}`,
        () => new AlreadyMemberError('Already a member.'),
        async () => {
          // Read again inside: an add of the same partner that finished since this one read the
          // case is seen here, and this one is refused before it logs.
          const member = await deps.db
            .selectFrom('case_members')
            .select('partner_id')
            .where('case_id', '=', caseId)
            .where('partner_id', '=', partner.id)
            .executeTakeFirst();
          if (member !== undefined) throw new AlreadyMemberError('Already a member.');
          await auditCase(
            'case.member_added',
            caller,
            { id: caseId, members },
            { partner: partner.id, role: input.role },
          );
          // Added meanwhile by another process, or the write failed: the log already says added,
          // so it says too that this add did not take effect.
          await changeAfterLog(
            deps.audit,
            () =>
              deps.db
                .insertInto('case_members')
                .values({
                  case_id: caseId,
                  partner_id: partner.id,
                  role: input.role,
                  added_by_user: caller.user.id,
                  added_at: now(),
                })
                .onConflict((oc) => oc.columns(['case_id', 'partner_id']).doNothing())
                .returning('partner_id')
                .executeTakeFirst(),
            (inserted) => inserted !== undefined,
            caseRecord(
              'case.member_add_void',
              caller,
              { id: caseId, members },
              { partner: partner.id, reason: 'the membership was not stored' },
            ),
            () => new AlreadyMemberError('Already a member.'),
          );
        },
      );
      return view(caller, (await load(caseId))!);
    },

    /**
     * Records a structured event; inclusion decisions and closure only by the lead, care status only
     * by a GGZ member. The phase follows from the event.
     *
     * @throws ValidationError (ERR_VALIDATION) for an unknown type or data that does not fit its schema.
     */
    async recordEvent(
      caller: Caller,
      caseId: string,
      input: { type: string; data: unknown },
    ): Promise<CaseEventView & { phase: Phase }> {
      const record = await loadVisible(caller, caseId);
      // Own names only: `in` would take `toString` or `__proto__` for an event type.
      if (!Object.hasOwn(EVENT_SCHEMAS, input.type) || input.type === 'melding_ontvangen') {
        throw new ValidationError('Unknown event type.', {
          errors: [{ field: 'type', message: 'not a recordable case event type' }],
        });
      }
      const type = input.type as EventType;
      let data: Record<string, unknown>;
      try {
        data = validate(EVENT_SCHEMAS[type], input.data);
      } catch (error) {
        if (error instanceof ValidationError) {
          throw new ValidationError(error.detail, {
            errors: (error.errors ?? []).map((e) => ({ ...e, field: `data.${e.field}` })),
          });
        }
        throw error;
      }
      const permission = eventPermission(type);
      if (permission === 'lead' && caller.partner.id !== record.leadPartnerId) {
        throw new CaseActionForbiddenError(`Only the case lead records ${type}.`);
      }
      if (permission === 'ggz_member' && caller.partner.kind !== 'ggz') {
        throw new CaseActionForbiddenError(`Only a GGZ member records ${type}.`);
      }
      if (record.status === 'closed') throw new CaseClosedError('The case is closed.');
      const next = phaseAfter(record.phase, type, data);
      const recordedAt = now();
      const id = newRowId();
      const medical = MEDICAL_EVENT_TYPES.has(type);
      await auditCase(
        'case.event_recorded',
        caller,
        record,
        {
          eventId: id,
          eventType: type,
          // Medical events are logged by type only; their content stays with the GGZ members.
          ...(medical ? {} : { data }),
          ...(next === undefined ? {} : { phase: next }),
        },
        { medical },
      );
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('case_events')
          .values({
            id,
            case_id: caseId,
            type,
            data: JSON.stringify(data),
            medical,
            recorded_by_partner: caller.partner.id,
            recorded_by_user: caller.user.id,
            recorded_at: recordedAt,
          })
          .execute();
        if (next !== undefined) {
          await trx
            .updateTable('cases')
            .set(
              next === 'gesloten'
                ? { phase: next, status: 'closed', closed_at: recordedAt }
                : { phase: next },
            )
            .where('id', '=', caseId)
            .execute();
        }
      });
      return {
        id,
        type,
        data,
        recordedBy: caller.partner.id,
        recordedAt: recordedAt.toISOString(),
        phase: next ?? record.phase,
      };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;

/**
 * Who reads a case entry. Rule 4: an entry that touches the AIVD (the AIVD acts, or it is the member
 * added) is confidential; every other case entry is an ordinary one whose parties leave the AIVD
 * out. Marking all entries of a case with an AIVD member confidential would hide them from the other
 * members, and the gap in their log view (for events they see in the case) would reveal the AIVD's
 * involvement. A medical event (`medical`) is itself medical: only the GGZ members are its parties
 * (the recording GGZ partner is one as the actor), as only they see the event in the case; its
 * type alone would tell the others that the person's care changed.
 */
export function caseEntryVisibility(
  caller: Caller,
  members: readonly { partnerId: string; kind: string }[],
  details: Readonly<Record<string, unknown>>,
  medical = false,
): { parties: string[]; confidential: boolean } {
  const aivd = new Set(members.filter((m) => m.kind === 'aivd').map((m) => m.partnerId));
  const touchesAivd =
    caller.partner.kind === 'aivd' || (typeof details.partner === 'string' && aivd.has(details.partner));
  if (medical) {
    return {
      parties: members.filter((m) => m.kind === 'ggz').map((m) => m.partnerId),
      confidential: touchesAivd,
    };
  }
  return touchesAivd
    ? { parties: members.map((m) => m.partnerId), confidential: true }
    : { parties: members.filter((m) => !aivd.has(m.partnerId)).map((m) => m.partnerId), confidential: false };
}
