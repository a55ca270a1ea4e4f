// Cells (indicator × period × breakdown × key) with the persons each describes; buildCells is the reference in JS that tests hold the database aggregation (aggregate.ts) to.
import type { Dimension, IndicatorDefinition } from './catalogue.ts';
import type { Observation } from './observations.ts';
import { quantile, round1 } from './statistics.ts';

/** The breakdown of the whole population. */
export const TOTAL = 'totaal';

/** A figure before suppression, with the person counts suppression needs (never published). */
export interface RawCell {
  readonly period: string;
  /** 'totaal', a dimension, or two joined by +. */
  readonly breakdown: string;
  /** The dimension values, joined by + like the breakdown; null for the total. */
  readonly key: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly median: number | null;
  readonly p90: number | null;
  /** Distinct persons the cell describes, and for shares those inside and outside the numerator. */
  readonly persons: number;
  readonly numeratorPersons: number;
  readonly otherPersons: number;
}

/** Builds every cell of one indicator for one period: the total and each declared breakdown. */
export function buildCells(
  definition: IndicatorDefinition,
  period: string,
  observations: readonly Observation[],
): RawCell[] {
  const cells = [cell(definition, period, TOTAL, {}, observations)];
  for (const breakdown of definition.breakdowns) {
    const dims = breakdown.split('+') as Dimension[];
    const groups = new Map<string, Observation[]>();
    for (const o of observations) {
      const key = dims.map((d) => o.dims[d] ?? '').join('+');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [o]);
      else group.push(o);
    }
    for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const first = group[0] as Observation;
      const values = Object.fromEntries(dims.map((d) => [d, first.dims[d] ?? '']));
      cells.push(cell(definition, period, breakdown, values, group));
    }
  }
  return cells;
}

function cell(
  definition: IndicatorDefinition,
  period: string,
  breakdown: string,
  values: Record<string, string>,
  group: readonly Observation[],
): RawCell {
  const persons = new Set(group.map((o) => o.person)).size;
  const inNumerator = new Set(group.filter((o) => o.value > 0).map((o) => o.person)).size;
  const outside = new Set(group.filter((o) => o.value <= 0).map((o) => o.person)).size;
  const key = breakdown === TOTAL ? null : Object.values(values).join('+');
  const base = {
    period,
    breakdown,
    key,
    values,
    persons,
    numeratorPersons: inNumerator,
    otherPersons: outside,
  };
  const none = { value: null, numerator: null, denominator: null, median: null, p90: null };
  if (definition.unit === 'count') {
    return { ...base, ...none, value: group.reduce((sum, o) => sum + o.value, 0) };
  }
  if (definition.unit === 'share') {
    const numerator = group.filter((o) => o.value > 0).length;
    const durations = group.flatMap((o) => (o.duration === undefined ? [] : [o.duration]));
    return {
      ...base,
      value: group.length === 0 ? null : round1((numerator / group.length) * 100),
      numerator,
      denominator: group.length,
      median: maybe(quantile(durations, 0.5)),
      p90: maybe(quantile(durations, 0.9)),
    };
  }
  const median = maybe(
    quantile(
      group.map((o) => o.value),
      0.5,
    ),
  );
  return {
    ...base,
    ...none,
    value: median,
    denominator: group.length,
    median,
    p90: maybe(
      quantile(
        group.map((o) => o.value),
        0.9,
      ),
    ),
  };
}

const maybe = (v: number | undefined): number | null => (v === undefined ? null : round1(v));
