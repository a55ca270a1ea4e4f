// Named SQL parameters (:from, :to, :now, :period) in catalogue templates, bound as real query parameters.
import { sql, type RawBuilder } from 'kysely';

/** The parameters a template may use, each bound with its SQL type. */
export const TEMPLATE_PARAMETERS = ['from', 'to', 'now', 'period'] as const;
export type TemplateParameter = (typeof TEMPLATE_PARAMETERS)[number];

export interface TemplateValues {
  /** Start of the window (inclusive). */
  readonly from: Date;
  /** End of the window (exclusive). */
  readonly to: Date;
  /** The computation time; "overdue" and "within N days" are judged against it. */
  readonly now: Date;
  /** A date_trunc unit: month, quarter or year. */
  readonly period: string;
}

// `::type` casts and slices like `[1:2]` are not parameters: a preceding colon or word character rules them out.
const NAMED = /(?<![:\w]):([a-z_]+)\b/g;

/** The named parameters a template mentions (known or not). */
export function namedParameters(template: string): string[] {
  return [...template.matchAll(NAMED)].map((m) => m[1] ?? '');
}

/** Turns a template into a query with bound parameters; unknown names are left for validation to catch. */
export function bindTemplate(template: string, values: TemplateValues): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  let last = 0;
  for (const match of template.matchAll(NAMED)) {
    parts.push(sql.raw(template.slice(last, match.index)));
    const name = match[1] as TemplateParameter;
    parts.push(
      name === 'period'
        ? sql`cast(${values.period} as text)`
        : sql`cast(${values[name].toISOString()} as timestamptz)`,
    );
    last = match.index + match[0].length;
  }
  parts.push(sql.raw(template.slice(last)));
  return sql.join(parts, sql.raw(''));
}
