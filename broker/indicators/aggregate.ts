// Aggregates every indicator's observations into cells inside the database (per breakdown, distinct persons by a first aggregation per person), one statement per indicator.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { DIMENSIONS, type Dimension, type IndicatorDefinition } from './catalogue.ts';
import { TOTAL, type RawCell } from './cells.ts';
import { IndicatorQueryError } from './errors.ts';
import { round1 } from './statistics.ts';
import { bindTemplate, type TemplateValues } from './template.ts';

/** A dimension value when the query gives none (as in observations.ts). */
const UNKNOWN = 'onbekend';

/** One aggregated row: an indicator, a period and one breakdown's group. */
interface AggregateRow {
  readonly indicator_nr: number;
  readonly period_start: string;
  readonly breakdown: string;
  readonly partner: string | null;
  readonly partner_kind: string | null;
  readonly region: string | null;
  readonly code: string | null;
  readonly invalid: number | string;
  readonly n: number | string;
  readonly total: number | string | null;
  readonly positive: number | string;
  readonly persons: number | string;
  readonly positive_persons: number | string;
  readonly other_persons: number | string;
  readonly q: readonly (number | string | null)[] | null;
}

/** The dimensions any of an indicator's breakdowns uses, in DIMENSIONS order. */
function usedDimensions(definition: IndicatorDefinition): Dimension[] {
  const used = new Set(definition.breakdowns.flatMap((b) => b.split('+')));
  return DIMENSIONS.filter((d) => used.has(d));
}

/**
 * The observations of indicator `nr`, read once (materialized): the period they fall in, person,
 * value, the optional duration, and the breakdown columns its breakdowns declare (a declared column
 * the query lacks fails the statement; the caller then names the indicator).
 */
function observations(definition: IndicatorDefinition, nr: number): string {
  const dimension = (d: Dimension) =>
    d === 'partner'
      ? // Confidential processing: the AIVD is shown only as its kind.
        `case when cast(o.partner as text) in (select id from partners where kind = 'aivd') then 'aivd'
              else coalesce(cast(o.partner as text), '${UNKNOWN}') end as partner`
      : `coalesce(cast(o.${d} as text), '${UNKNOWN}') as ${d}`;
  // Only a template that mentions a duration can return one; reading it through JSON keeps it optional.
  const duration = /\bduration\b/.test(definition.sql)
    ? `cast(to_jsonb(o) ->> 'duration' as float8)`
    : 'cast(null as float8)';
  return `o${nr} as materialized (
  select date_trunc(:period, o.at, 'Europe/Amsterdam') as period_start,
         cast(o.person as text) as person, cast(o.value as float8) as value, ${duration} as duration,
         ${[...usedDimensions(definition).map(dimension), '1 as one'].join(',\n         ')}
  from (
${definition.sql}
  ) o
  where o.at >= :from and o.at < :to
)`;
}

/**
 * One breakdown of indicator `nr`: first per person (hash aggregation), then per group, so distinct
 * persons are counted without sorting; quantiles only where the unit needs them.
 */
function breakdownSelect(definition: IndicatorDefinition, nr: number, breakdown: string): string {
  const dims = breakdown === TOTAL ? [] : (breakdown.split('+') as Dimension[]);
  const keys = ['period_start', ...dims];
  const columns = DIMENSIONS.map((d) => (dims.includes(d) ? `g.${d}` : `cast(null as text) as ${d}`));
  const quantiles =
    definition.unit === 'days' || definition.unit === 'hours'
      ? 'value'
      : definition.unit === 'share'
        ? 'duration'
        : undefined;
  const q = quantiles === undefined ? 'cast(null as float8[])' : 'qq.q';
  const quantileJoin =
    quantiles === undefined
      ? ''
      : `
left join (
  select ${keys.map((k) => `r.${k}`).join(', ')},
         percentile_cont(array[0.5, 0.9]) within group (order by r.${quantiles}) as q
  from o${nr} r
  group by ${keys.map((k) => `r.${k}`).join(', ')}
) qq on ${keys.map((k) => `qq.${k} = g.${k}`).join(' and ')}`;
  return `select ${nr} as indicator_nr, '${breakdown}' as breakdown,
       to_char(g.period_start at time zone 'Europe/Amsterdam', 'YYYY-MM-DD') as period_start, ${columns.join(', ')},
       g.invalid, g.n, g.total, g.positive, g.persons, g.positive_persons, g.other_persons, ${q} as q
from (
  select ${keys.map((k) => `p.${k}`).join(', ')},
         sum(p.invalid) as invalid, sum(p.n) as n, sum(p.total) as total, sum(p.positive) as positive,
         count(*) as persons, count(*) filter (where p.positive > 0) as positive_persons,
         count(*) filter (where p.positive < p.n) as other_persons
  from (
    select ${keys.map((k) => `x.${k}`).join(', ')}, x.person,
           count(*) filter (where x.person is null or x.value is null) as invalid,
           count(*) as n, sum(x.value) as total, count(*) filter (where x.value > 0) as positive
    from o${nr} x
    group by ${keys.map((k) => `x.${k}`).join(', ')}, x.person
  ) p
  group by ${keys.map((k) => `p.${k}`).join(', ')}
) g${quantileJoin}`;
}

/** The views argument when the views are temporary tables already (views.ts), not CTEs to prefix. */
export const MATERIALISED = '';

/**
 * The one statement (a template with named parameters) that aggregates every indicator: the views
 * prefixed as CTEs, or read as tables when `views` is MATERIALISED.
 */
export function aggregateStatement(views: string, definitions: readonly IndicatorDefinition[]): string {
  const selects = definitions.flatMap((d, nr) =>
    [TOTAL, ...d.breakdowns].map((breakdown) => breakdownSelect(d, nr, breakdown)),
  );
  const ctes = [...(views === MATERIALISED ? [] : [views]), ...definitions.map(observations)];
  return `with ${ctes.join(',\n')}\n${selects.join('\nunion all\n')}`;
}

const num = (v: number | string | null | undefined): number => Number(v ?? 0);
const quantileAt = (q: AggregateRow['q'], i: number): number | null => {
  const v = q?.[i];
  return v === null || v === undefined ? null : round1(Number(v));
};

/** The cell of a period without observations: zero persons, and what an empty group computes to. */
export function emptyTotal(definition: IndicatorDefinition, period: string): RawCell {
  const none = { value: null, numerator: null, denominator: null, median: null, p90: null };
  const base = {
    period,
    breakdown: TOTAL,
    key: null,
    values: {},
    persons: 0,
    numeratorPersons: 0,
    otherPersons: 0,
  };
  if (definition.unit === 'count') return { ...base, ...none, value: 0 };
  if (definition.unit === 'share') return { ...base, ...none, numerator: 0, denominator: 0 };
  return { ...base, ...none, denominator: 0 };
}

function toCell(
  definition: IndicatorDefinition,
  period: string,
  breakdown: string,
  row: AggregateRow,
): RawCell {
  const dims = breakdown === TOTAL ? [] : breakdown.split('+');
  const values = Object.fromEntries(dims.map((d) => [d, row[d as Dimension] ?? UNKNOWN]));
  const n = num(row.n);
  const base = {
    period,
    breakdown,
    key: breakdown === TOTAL ? null : Object.values(values).join('+'),
    values,
    persons: num(row.persons),
    numeratorPersons: num(row.positive_persons),
    otherPersons: num(row.other_persons),
  };
  const none = { value: null, numerator: null, denominator: null, median: null, p90: null };
  if (definition.unit === 'count') return { ...base, ...none, value: num(row.total) };
  if (definition.unit === 'share') {
    const positive = num(row.positive);
    return {
      ...base,
      value: n === 0 ? null : round1((positive / n) * 100),
      numerator: positive,
      denominator: n,
      median: quantileAt(row.q, 0),
      p90: quantileAt(row.q, 1),
    };
  }
  const median = quantileAt(row.q, 0);
  return { ...base, ...none, value: median, denominator: n, median, p90: quantileAt(row.q, 1) };
}

/**
 * Computes the raw cells (before suppression) of every indicator for every period start, one
 * statement per indicator: its template's rows read once with the window filter, then aggregated for the total
 * and each declared breakdown per period, with the distinct persons suppression needs.
 * Cells come in catalogue order: per period the total, then each breakdown's groups by key.
 * Pseudonyms are counted inside the database and never leave it.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) when rows lack person or value.
 */
export async function aggregateAll(
  db: Kysely<Database>,
  views: string,
  definitions: readonly IndicatorDefinition[],
  values: TemplateValues,
  periods: readonly { readonly start: string; readonly label: string }[],
): Promise<Map<string, RawCell[]>> {
  // One statement per indicator, each planned on its own: with MATERIALISED views the planner
  // knows their analyzed sizes; inline, it sees each template with the views and estimates its joins
  // (one statement for all turns the views into materialized CTEs without statistics and misplans).
  const byIndicator = new Map<number, AggregateRow[]>();
  for (const [nr, definition] of definitions.entries()) {
    const statement = aggregateStatement(views, [definition]);
    byIndicator.set(nr, (await bindTemplate(statement, values).execute(db)).rows as AggregateRow[]);
  }
  const result = new Map<string, RawCell[]>();
  definitions.forEach((definition, nr) => {
    const own = byIndicator.get(nr) ?? [];
    if (own.some((r) => num(r.invalid) > 0)) {
      throw new IndicatorQueryError(`${definition.id}: every row needs at, person and value`);
    }
    const cells: RawCell[] = [];
    for (const { start, label } of periods) {
      const inPeriod = own.filter((r) => r.period_start === start);
      const total = inPeriod.find((r) => r.breakdown === TOTAL);
      cells.push(
        total === undefined ? emptyTotal(definition, label) : toCell(definition, label, TOTAL, total),
      );
      for (const breakdown of definition.breakdowns) {
        cells.push(
          ...inPeriod
            .filter((r) => r.breakdown === breakdown)
            .map((r) => toCell(definition, label, breakdown, r))
            .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? '')),
        );
      }
    }
    result.set(definition.id, cells);
  });
  return result;
}
