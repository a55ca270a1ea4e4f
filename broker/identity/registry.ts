// The partner and people registry in the database: partners keyed by (identifier type, identifier, unit).
import type { Kysely, Selectable } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Database, IdentifierType, PartnerKind, PartnersTable, PeopleTable } from '../store/schema.ts';
import type { AuditActor } from '../audit/contract.ts';
import type { IdentityAudit } from './identity-audit.ts';
import type { PartnerIdentity } from './identity.ts';
import { jwksProblem } from './jwks.ts';
import { PERSON_ROLES, REVIEWING_ROLE_KIND, type PersonRole } from './roles.ts';

/** A JSON Web Key Set as registered for a partner's token keys. */
export interface Jwks {
  readonly keys: readonly Record<string, unknown>[];
}

/** A registered partner with its token keys. */
export interface PartnerRecord extends PartnerIdentity {
  readonly jwks: Jwks | undefined;
}

/** A registered person. */
export interface PersonRecord {
  readonly id: string;
  readonly name: string;
  readonly partnerId: string;
  readonly role: string;
}

export interface NewPartner {
  readonly id: string;
  readonly kind: PartnerKind;
  readonly identifierType: IdentifierType;
  readonly identifier: string;
  readonly unit?: string | undefined;
  readonly organisation?: string | undefined;
  readonly national?: boolean | undefined;
  readonly jwks?: Jwks | undefined;
}

export interface PartnerChanges {
  readonly organisation?: string | undefined;
  readonly national?: boolean | undefined;
  readonly jwks?: Jwks | undefined;
}

/** Reads and changes the registry; every change is recorded through the identity audit. */
export interface Registry {
  /** @throws ConflictError (ERR_CONFLICT) when the id or (identifier, unit) is taken; ValidationError (ERR_VALIDATION). */
  addPartner(partner: NewPartner, actor?: AuditActor): Promise<PartnerRecord>;
  /** @throws NotFoundError (ERR_NOT_FOUND) */
  updatePartner(id: string, changes: PartnerChanges, actor?: AuditActor): Promise<PartnerRecord>;
  getPartner(id: string): Promise<PartnerRecord | undefined>;
  findPartner(
    identifierType: IdentifierType,
    identifier: string,
    unit: string,
  ): Promise<PartnerRecord | undefined>;
  listPartners(): Promise<PartnerRecord[]>;
  /** @throws ConflictError, NotFoundError (unknown partner), ValidationError (role) */
  addPerson(person: PersonRecord, actor?: AuditActor): Promise<PersonRecord>;
  getPerson(id: string): Promise<PersonRecord | undefined>;
  listPeople(): Promise<PersonRecord[]>;
}

function toPartner(row: Selectable<PartnersTable>): PartnerRecord {
  const jwks =
    typeof row.token_jwks === 'string'
      ? (JSON.parse(row.token_jwks) as Jwks)
      : (row.token_jwks as Jwks | null);
  return {
    id: row.id,
    kind: row.kind,
    identifierType: row.identifier_type,
    identifier: row.identifier,
    unit: row.unit,
    organisation: row.organisation,
    national: row.national,
    jwks: jwks ?? undefined,
  };
}

function toPerson(row: Selectable<PeopleTable>): PersonRecord {
  return { id: row.id, name: row.name, partnerId: row.partner_id, role: row.role };
}

function publicView(p: PartnerRecord): Record<string, unknown> {
  return {
    id: p.id,
    kind: p.kind,
    identifierType: p.identifierType,
    identifier: p.identifier,
    unit: p.unit,
    organisation: p.organisation,
    national: p.national,
    // A JWKS stored before registration checked it may hold anything: the replacement must still log.
    tokenKeys: Array.isArray(p.jwks?.keys)
      ? p.jwks.keys.map((k: unknown) => {
          const kid = (k as { kid?: unknown } | null)?.kid;
          return typeof kid === 'string' ? kid : null;
        })
      : [],
  };
}

function checkPartner(p: NewPartner): void {
  const problems: { field: string; message: string }[] = [];
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(p.id))
    problems.push({ field: 'id', message: 'lower-case letters, digits and dashes' });
  if (p.identifierType === 'oin' && !/^\d{20}$/.test(p.identifier))
    problems.push({ field: 'oin', message: 'an OIN has 20 digits' });
  if (p.identifierType === 'ura' && !/^\d{8}$/.test(p.identifier))
    problems.push({ field: 'ura', message: 'a URA has 8 digits' });
  if (p.national === true && p.kind !== 'politie')
    problems.push({ field: 'national', message: 'only a politie partner is national' });
  const jwks = p.jwks === undefined ? undefined : jwksProblem(p.jwks);
  if (jwks !== undefined) problems.push({ field: 'jwks', message: jwks });
  if (problems.length > 0) throw new ValidationError('The partner is not valid.', { errors: problems });
}

/**
 * Creates the registry over the database. Writes commit first, then go to the log; when the log
 * refuses, the write is undone and the log's error is rethrown (nothing changes unrecorded).
 *
 * @example const registry = createRegistry(store.db, audit);
 */
export function createRegistry(db: Kysely<Database>, audit: IdentityAudit): Registry {
  const getPartner = async (id: string) => {
    const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toPartner(row);
  };
  return {
    async addPartner(p, actor) {
      checkPartner(p);
      const unit = p.unit ?? '';
      const clash = await db
        .selectFrom('partners')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('id', '=', p.id),
            eb.and([
              eb('identifier_type', '=', p.identifierType),
              eb('identifier', '=', p.identifier),
              eb('unit', '=', unit),
            ]),
          ]),
        )
        .executeTakeFirst();
      if (clash !== undefined) {
        throw new ConflictError(
          clash.id === p.id
            ? `A partner with id ${p.id} is already registered.`
            : `Partner ${clash.id} is already registered for this ${p.identifierType.toUpperCase()} and unit.`,
        );
      }
      const row = await db
        .insertInto('partners')
        .values({
          id: p.id,
          kind: p.kind,
          identifier_type: p.identifierType,
          identifier: p.identifier,
          unit,
          organisation: p.organisation ?? p.id,
          national: p.national ?? false,
          token_jwks: p.jwks === undefined ? null : JSON.stringify(p.jwks),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const partner = toPartner(row);
      try {
        await audit.partnerAdded(publicView(partner), actor);
      } catch (error) {
        await db.deleteFrom('partners').where('id', '=', p.id).execute();
        throw error;
      }
      return partner;
    },
    async updatePartner(id, changes, actor) {
      const before = await getPartner(id);
      if (before === undefined) throw new NotFoundError(`No partner ${id} is registered.`);
      const jwks = changes.jwks === undefined ? undefined : jwksProblem(changes.jwks);
      if (jwks !== undefined) {
        throw new ValidationError('The partner is not valid.', {
          errors: [{ field: 'jwks', message: jwks }],
        });
      }
      const values = {
        ...(changes.organisation === undefined ? {} : { organisation: changes.organisation }),
        ...(changes.national === undefined ? {} : { national: changes.national }),
        ...(changes.jwks === undefined ? {} : { token_jwks: JSON.stringify(changes.jwks) }),
      };
      const row = await db
        .updateTable('partners')
        .set({ ...values, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const after = toPartner(row);
      try {
        await audit.partnerChanged(id, { before: publicView(before), after: publicView(after) }, actor);
      } catch (error) {
        await db
          .updateTable('partners')
          .set({
            organisation: before.organisation,
            national: before.national,
            token_jwks: before.jwks === undefined ? null : JSON.stringify(before.jwks),
          })
          .where('id', '=', id)
          .execute();
        throw error;
      }
      return after;
    },
    getPartner,
    async findPartner(identifierType, identifier, unit) {
      const row = await db
        .selectFrom('partners')
        .selectAll()
        .where('identifier_type', '=', identifierType)
        .where('identifier', '=', identifier)
        .where('unit', '=', unit)
        .executeTakeFirst();
      return row === undefined ? undefined : toPartner(row);
    },
    async listPartners() {
      return (await db.selectFrom('partners').selectAll().orderBy('id').execute()).map(toPartner);
    },
    async addPerson(person, actor) {
      const partner = await getPartner(person.partnerId);
      if (partner === undefined) throw new NotFoundError(`No partner ${person.partnerId} is registered.`);
      const role = person.role as PersonRole;
      const problems: { field: string; message: string }[] = [];
      if (!PERSON_ROLES.includes(role))
        problems.push({ field: 'role', message: `one of ${PERSON_ROLES.join(', ')}` });
      const kind = REVIEWING_ROLE_KIND[role];
      if (kind !== undefined && kind !== partner.kind)
        problems.push({ field: 'role', message: `${role} belongs to a ${kind} partner` });
      if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(person.id))
        problems.push({ field: 'id', message: 'lower-case letters, digits, dots and dashes' });
      if (problems.length > 0) throw new ValidationError('The person is not valid.', { errors: problems });
      const exists = await db
        .selectFrom('people')
        .select('id')
        .where('id', '=', person.id)
        .executeTakeFirst();
      if (exists !== undefined)
        throw new ConflictError(`A person with id ${person.id} is already registered.`);
      await db
        .insertInto('people')
        .values({ id: person.id, name: person.name, partner_id: person.partnerId, role: person.role })
        .execute();
      try {
        await audit.personAdded({ id: person.id, partnerId: person.partnerId, role: person.role }, actor);
      } catch (error) {
        await db.deleteFrom('people').where('id', '=', person.id).execute();
        throw error;
      }
      return person;
    },
    async getPerson(id) {
      const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toPerson(row);
    },
    async listPeople() {
      return (await db.selectFrom('people').selectAll().orderBy('id').execute()).map(toPerson);
    },
  };
}
