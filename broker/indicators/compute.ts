// Computes the catalogue's indicators for a window: observations, cells, suppression, the published report.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Catalogue, IndicatorDefinition } from './catalogue.ts';
import type { RawCell } from './cells.ts';
import { IndicatorQueryError } from './errors.ts';
import { extract, type ExtractedCells } from './extraction.ts';
import type { IndicatorQuery } from './params.ts';
import { amsterdamMidnight, nextDay, periodLabel, periodStarts } from './periods.ts';
import { suppressedCells } from './suppress.ts';

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
  /**
   * Connections to compute on at once, PostgreSQL only (default 1; PGlite has one connection).
   * Each materialises the views itself; all read one snapshot.
   */
  readonly connections?: number;
  /** Aborted when the result is no longer wanted: the extraction stops (ClientClosedError). */
  readonly signal?: AbortSignal;
}

/**
 * Connections an extraction computes on: one on PGlite (it has one); on PostgreSQL up to three, a
 * third of the pool at most, so requests keep the rest.
 *
 * @example computeIndicators({ db, catalogue, k, connections: extractionConnections(config.database) }, query)
 */
export function extractionConnections(database: {
  readonly kind: string;
  readonly poolSize?: number;
}): number {
  if (database.kind !== 'postgres') return 1;
  return Math.max(1, Math.min(3, Math.floor((database.poolSize ?? 10) / 3)));
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
  const indicators = await extract(
    {
      db: options.db,
      catalogue: options.catalogue,
      values,
      periods,
      connections: options.connections ?? 1,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    async (trx, all) => {
      await guardPseudonyms(trx, all);
      return options.catalogue.indicators.map((definition): IndicatorResult => {
        const { sql: _sql, ...meta } = definition;
        return { ...meta, cells: publish(all.get(definition.id) ?? [], k) };
      });
    },
  );
  return {
    ...query,
    k,
    generatedAt: now.toISOString(),
    periods: starts.map((s) => periodLabel(s, query.period)),
    indicators,
  };
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
async function guardPseudonyms(trx: Kysely<Database>, all: ExtractedCells) {
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
