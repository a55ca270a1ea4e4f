// Runs one indicator's query and checks its rows against the observation contract; pseudonyms stay in here.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { DIMENSIONS, type Dimension, type IndicatorDefinition } from './catalogue.ts';
import { IndicatorQueryError } from './errors.ts';
import { bindTemplate, type TemplateValues } from './template.ts';

/**
 * One observation: a case, request item or event that counts towards an indicator in a period.
 * `person` is the subject's pseudonym, used only to count distinct persons for suppression.
 */
export interface Observation {
  readonly periodStart: string;
  readonly person: string;
  readonly value: number;
  readonly duration: number | undefined;
  readonly dims: Readonly<Record<Dimension, string | undefined>>;
}

const UNKNOWN = 'onbekend';

/**
 * Runs an indicator's template (wrapped with the shared views and the window filter) and returns
 * its observations, with AIVD partner ids replaced by the kind.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) when rows lack at, person or value.
 */
export async function observe(
  db: Kysely<Database>,
  views: string,
  definition: IndicatorDefinition,
  values: TemplateValues,
  aivdPartners: ReadonlySet<string>,
): Promise<Observation[]> {
  const query = bindTemplate(
    `with ${views}
select to_char(date_trunc(:period, o.at, 'Europe/Amsterdam') at time zone 'Europe/Amsterdam', 'YYYY-MM-DD') as period_start, o.*
from (
${definition.sql}
) o
where o.at >= :from and o.at < :to`,
    values,
  );
  const rows = (await query.execute(db)).rows as Record<string, unknown>[];
  return rows.map((row) => toObservation(definition, row, aivdPartners));
}

function toObservation(
  definition: IndicatorDefinition,
  row: Record<string, unknown>,
  aivdPartners: ReadonlySet<string>,
): Observation {
  const { period_start: periodStart, person, value, duration } = row;
  if (
    typeof periodStart !== 'string' ||
    typeof person !== 'string' ||
    value === null ||
    value === undefined
  ) {
    throw new IndicatorQueryError(`${definition.id}: every row needs at, person and value`);
  }
  const dims = {} as Record<Dimension, string | undefined>;
  for (const dimension of DIMENSIONS) {
    const raw = row[dimension];
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : UNKNOWN;
    // Confidential processing: the AIVD is shown only as its kind.
    dims[dimension] = dimension === 'partner' && aivdPartners.has(text) ? 'aivd' : text;
  }
  return {
    periodStart,
    person,
    value: Number(value),
    duration: duration === null || duration === undefined ? undefined : Number(duration),
    dims,
  };
}

/** The ids of AIVD partners, whose ids never appear in a breakdown. */
export async function aivdPartnerIds(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('partners').select('id').where('kind', '=', 'aivd').execute();
  return new Set(rows.map((r) => r.id));
}

/** What happens before a read-only transaction turns read-only, and its isolation level. */
export interface ReadOnlyOptions {
  /** May only create temporary tables (dropped at commit): after the switch those are the only tables it can still write. */
  readonly prepare?: (trx: Kysely<Database>) => Promise<void>;
  readonly isolation?: 'repeatable read' | undefined;
}

/**
 * Runs `work` in a read-only transaction: catalogue queries are evaluator-editable. `prepare` runs
 * first, before the switch.
 */
export async function readOnly<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
  options: ReadOnlyOptions = {},
): Promise<T> {
  const transaction =
    options.isolation === undefined
      ? db.transaction()
      : db.transaction().setIsolationLevel(options.isolation);
  return transaction.execute(async (trx) => {
    await options.prepare?.(trx);
    await sql`set transaction read only`.execute(trx);
    return work(trx);
  });
}
