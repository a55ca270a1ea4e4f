// What a request in a registered case is decided on (the case, its members, the consents in force), read in one statement.
import { CompiledQuery, type Kysely } from 'kysely';
import type { CaseRecord } from '../cases/case-service.ts';
import type { Phase } from '../cases/vocabulary.ts';
import type { ActiveConsent } from '../consents/consent-service.ts';
import { preparedStatement } from '../store/prepared.ts';
import type { Database } from '../store/schema.ts';

/** The case with its members and the subject's consents in force, as read by one statement. */
export interface RequestContext {
  readonly caseRecord: CaseRecord;
  readonly consents: readonly ActiveConsent[];
}

/** One context to read: a case, and the subject's pseudonyms under every key generation. */
export interface ContextKey {
  readonly caseId: string;
  readonly subjectPseudonyms: readonly string[];
}

/**
 * The statement, written out once (building it with the query builder cost more CPU than anything
 * else the request path asked of Kysely). Keys are positions: $1/$2 the cases, $3/$4 the
 * pseudonyms of each key; a key without pseudonyms has no consents.
 */
const CONTEXT_SQL = preparedStatement(`
  select k.key, c.id, c.subject_pseudonym, c.status, c.phase, c.lead_partner_id, c.emergency,
    coalesce(
      (select json_agg(json_build_object('partnerId', m.partner_id, 'kind', p.kind, 'role', m.role)
                       order by m.added_at)
       from case_members m join partners p on p.id = m.partner_id
       where m.case_id = c.id),
      '[]') as members,
    coalesce(
      (select json_agg(json_build_object(
                'id', n.id, 'holderPartnerId', n.holder_partner_id, 'recipients', n.recipients,
                'purposes', n.purposes, 'categories', n.categories,
                'validFrom', n.valid_from, 'validUntil', n.valid_until))
       from consents n
       where n.withdrawn_at is null
         and n.subject_pseudonym in (
           select s.pseudonym from unnest($3::int[], $4::text[]) as s(key, pseudonym) where s.key = k.key)),
      '[]') as consents
  from unnest($1::int[], $2::text[]) as k(key, case_id)
  join cases c on c.id = k.case_id`);

/** A row of CONTEXT_SQL. */
interface ContextRow {
  readonly key: number;
  readonly id: string;
  readonly subject_pseudonym: string;
  readonly status: 'open' | 'closed';
  readonly phase: Phase;
  readonly lead_partner_id: string;
  readonly emergency: boolean;
  readonly members: readonly { partnerId: string; kind: string; role: string }[];
  readonly consents: readonly {
    id: string;
    holderPartnerId: string;
    recipients: string[];
    purposes: string[];
    categories: string[];
    validFrom: string;
    validUntil: string;
  }[];
}

function toContext(row: ContextRow): RequestContext {
  return {
    caseRecord: {
      id: row.id,
      subjectPseudonym: row.subject_pseudonym,
      status: row.status,
      phase: row.phase,
      leadPartnerId: row.lead_partner_id,
      emergency: row.emergency,
      members: row.members,
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

/**
 * Reads, for each key, the case with its members (in the order they were added) and the consents not
 * withdrawn for any of the subject's pseudonyms, all in one statement and so from one snapshot: what
 * `cases.load` and `consents.activeFor` read, with one round trip for any number of requests.
 *
 * @returns per key, in order, its context, or undefined when there is no such case.
 * @example const [context] = await loadRequestContexts(db, [{ caseId, subjectPseudonyms: candidates(bsn) }]);
 */
export async function loadRequestContexts(
  db: Kysely<Database>,
  keys: readonly ContextKey[],
): Promise<(RequestContext | undefined)[]> {
  if (keys.length === 0) return [];
  const pseudonymKeys: number[] = [];
  const pseudonyms: string[] = [];
  keys.forEach((key, i) => {
    for (const pseudonym of key.subjectPseudonyms) {
      pseudonymKeys.push(i);
      pseudonyms.push(pseudonym);
    }
  });
  const { rows } = await db.executeQuery<ContextRow>(
    CompiledQuery.raw(CONTEXT_SQL, [
      keys.map((_, i) => i),
      keys.map((k) => k.caseId),
      pseudonymKeys,
      pseudonyms,
    ]),
  );
  const found = new Map(rows.map((row) => [Number(row.key), row]));
  return keys.map((_, i) => {
    const row = found.get(i);
    return row === undefined ? undefined : toContext(row);
  });
}

/** Reads request contexts, sharing a statement between the requests that ask in the same turn. */
export interface RequestContextLoader {
  /** The context read after this call (never kept), or undefined when there is no such case. */
  load(key: ContextKey): Promise<RequestContext | undefined>;
}

/** At most this many requests share one statement. */
const MAX_BATCH = 200;

/**
 * The contexts asked for in one turn of the event loop are read by one statement at its end. Nothing
 * is kept between turns: every request reads the database after it asked, so a consent withdrawal or
 * a case closure committed before that is always seen. When the statement fails, every request of
 * the turn fails with its error.
 *
 * @example const contexts = createRequestContextLoader(db); const context = await contexts.load({ caseId, subjectPseudonyms });
 */
export function createRequestContextLoader(db: Kysely<Database>): RequestContextLoader {
  type Pending = {
    key: ContextKey;
    resolve: (context: RequestContext | undefined) => void;
    reject: (error: unknown) => void;
  };
  let pending: Pending[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    loadRequestContexts(
      db,
      batch.map((p) => p.key),
    ).then(
      (contexts) => batch.forEach((p, i) => p.resolve(contexts[i])),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  };
  return {
    load(key) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ key, resolve, reject });
        if (pending.length >= MAX_BATCH) flush();
      });
    },
  };
}
