// Computes the catalogue's indicators for a window: observations, cells, suppression, the published report.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Catalogue, IndicatorDefinition } from './catalogue.ts';
import { MATERIALISED, aggregateAll } from './aggregate.ts';
import type { RawCell } from './cells.ts';
import { IndicatorQueryError } from './errors.ts';
import { aivdPartnerIds, observe, readOnly } from './observations.ts';
import type { IndicatorQuery } from './params.ts';
import { amsterdamMidnight, nextDay, periodLabel, periodStarts } from './periods.ts';
import { suppressedCells } from './suppress.ts';
import type { TemplateValues } from './template.ts';
import { createViewTables, fillViewTables } from './views.ts';

/** The smallest k the broker accepts (DOMAIN.md); configuration may only raise it. */
export const MIN_K = 5;

/** A published number, or `<k` where it would describe fewer than k persons. */
export type Figure = number | null | `<${number}`;

/** One published row: indicator × period × breakdown × key. */
export interface IndicatorCell {
  readonly period: string;
  readonly breakdown: string;
  readonly key: string | null;
  readonly suppressed: boolean;
  readonly value: Figure;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly median: Figure;
  readonly p90: Figure;
}

/** An indicator's definition (without its SQL) and its cells. */
export interface IndicatorResult extends Omit<IndicatorDefinition, 'sql'> {
  readonly cells: readonly IndicatorCell[];
}

/** What GET /v1/indicators and `schakel indicators` return. */
export interface IndicatorReport extends IndicatorQuery {
  readonly k: number;
  readonly generatedAt: string;
  readonly periods: readonly string[];
  readonly indicators: readonly IndicatorResult[];
}

export interface ComputeOptions {
  readonly db: Kysely<Database>;
  readonly catalogue: Catalogue;
  /** Suppression threshold; values below MIN_K are raised to it. */
  readonly k: number;
  readonly now?: () => Date;
}

/**
 * Computes every indicator of the catalogue per period of the query.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) when a query fails or breaks its contract.
 * @example const report = await computeIndicators({ db, catalogue, k: 5 }, { from, to, period: 'quarter' });
 */
export async function computeIndicators(
  options: ComputeOptions,
  query: IndicatorQuery,
): Promise<IndicatorReport> {
  const k = Math.max(MIN_K, options.k);
  const now = (options.now ?? (() => new Date()))();
  const starts = periodStarts(query.from, query.to, query.period);
  const values = {
    from: amsterdamMidnight(query.from),
    to: amsterdamMidnight(nextDay(query.to)),
    now,
    period: query.period,
  };
  const periods = starts.map((start) => ({ start, label: periodLabel(start, query.period) }));
  const views = options.catalogue.viewDefinitions;
  const indicators = await readOnly(
    options.db,
    async (trx) => {
      await tuneExtraction(trx);
      // Each view is computed once here, not once per indicator that reads it.
      await fillViewTables(trx, views);
      const aivd = await aivdPartnerIds(trx);
      const all = await aggregateEvery(trx, options.catalogue, values, periods, aivd);
      await guardPseudonyms(trx, all);
      return options.catalogue.indicators.map((definition): IndicatorResult => {
        const { sql: _sql, ...meta } = definition;
        return { ...meta, cells: publish(all.get(definition.id) ?? [], k) };
      });
    },
    (trx) => createViewTables(trx, views),
  );
  return {
    ...query,
    k,
    generatedAt: now.toISOString(),
    periods: starts.map((s) => periodLabel(s, query.period)),
    indicators,
  };
}

/**
 * Settings for this transaction only. JIT compilation of these short analytic statements cost more
 * than it saved (3.2 s of compiling for a 0.5 s statement, I21 on 2,000 cases); with the default
 * 4 MB of work memory the per-person aggregations spilled to disk.
 */
async function tuneExtraction(trx: Kysely<Database>) {
  await sql`set local jit = off`.execute(trx);
  await sql`set local work_mem = '64MB'`.execute(trx);
}

/**
 * All indicators' cells, reading the views' temporary tables; when that fails, each query alone with
 * the views inline (after rolling back to a savepoint) to name the one that breaks and how.
 */
async function aggregateEvery(
  trx: Kysely<Database>,
  catalogue: Catalogue,
  values: TemplateValues,
  periods: readonly { start: string; label: string }[],
  aivd: ReadonlySet<string>,
): Promise<Map<string, RawCell[]>> {
  await sql`savepoint all_indicators`.execute(trx);
  try {
    return await aggregateAll(trx, MATERIALISED, catalogue.indicators, values, periods);
  } catch (error) {
    if (error instanceof IndicatorQueryError) throw error;
    await sql`rollback to savepoint all_indicators`.execute(trx);
    for (const definition of catalogue.indicators) {
      try {
        await observe(trx, catalogue.views, definition, values, aivd);
      } catch (single) {
        if (single instanceof IndicatorQueryError) throw single;
        throw new IndicatorQueryError(`${definition.id}: the query failed`, { cause: single });
      }
    }
    throw new IndicatorQueryError('the indicator queries failed together', { cause: error });
  }
}

function publish(raw: readonly RawCell[], k: number): IndicatorCell[] {
  const hidden = suppressedCells(raw, k);
  const mask = `<${k}` as const;
  return raw.map((c) => {
    const suppressed = hidden.has(c);
    const show = (v: number | null): Figure => (suppressed && v !== null ? mask : v);
    return {
      period: c.period,
      breakdown: c.breakdown,
      key: c.key,
      suppressed,
      value: suppressed ? mask : c.value,
      numerator: show(c.numerator),
      denominator: show(c.denominator),
      median: show(c.median),
      p90: show(c.p90),
    };
  });
}

/**
 * Pseudonyms never leave the module: a breakdown value that is a subject's pseudonym means an
 * (edited) query broke the contract, and the whole extraction fails.
 */
async function guardPseudonyms(trx: Kysely<Database>, all: ReadonlyMap<string, readonly RawCell[]>) {
  const owner = new Map<string, string>();
  for (const [id, cells] of all) {
    for (const cell of cells) for (const value of Object.values(cell.values)) owner.set(value, id);
  }
  if (owner.size === 0) return;
  const keys = [...owner.keys()];
  const hit = await trx
    .selectFrom('cases')
    .select('subject_pseudonym as p')
    .where('subject_pseudonym', 'in', keys)
    .union(
      trx.selectFrom('info_requests').select('subject_pseudonym as p').where('subject_pseudonym', 'in', keys),
    )
    .limit(1)
    .executeTakeFirst();
  if (hit !== undefined) {
    throw new IndicatorQueryError(`${owner.get(hit.p)}: a breakdown column carries a pseudonym`);
  }
}
