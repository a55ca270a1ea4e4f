// The query of an indicator extraction (from, to, period), validated the same way for HTTP and CLI.
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { PERIODS, type Period } from './periods.ts';

/** At most ten years per extraction keeps one request bounded. */
const MAX_DAYS = 3_660;

/**
 * The years a window may touch. Nothing the broker counts is older than its own records, and the
 * bounds keep every date one Date, PostgreSQL and Intl agree on (year 0 is no year in PostgreSQL,
 * and Date.UTC reads years below 100 as 1900 and on).
 */
const FIRST_DATE = '1900-01-01';
const LAST_DATE = '2999-12-31';

const date = z.iso
  .date('must be a date, YYYY-MM-DD')
  .refine((d) => d >= FIRST_DATE && d <= LAST_DATE, `must be between ${FIRST_DATE} and ${LAST_DATE}`);

/** The query of GET /v1/indicators without `format` (also the source of its OpenAPI parameters). */
export const indicatorQuerySchema = z
  .object({
    from: date,
    to: date,
    period: z.enum(PERIODS).default('month'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (days > MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most ten years after from' });
  });

/** A validated extraction: dates inclusive, YYYY-MM-DD. */
export interface IndicatorQuery {
  readonly from: string;
  readonly to: string;
  readonly period: Period;
}

/**
 * Validates from, to (inclusive dates) and period (month, quarter, year; default month).
 *
 * @throws ValidationError (ERR_VALIDATION, 422) naming each bad field.
 */
export function parseIndicatorQuery(input: Record<string, string | undefined>): IndicatorQuery {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const parsed = indicatorQuerySchema.safeParse(defined);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || String((i as { keys?: string[] }).keys?.join(', ') ?? '(query)'),
      message: i.message,
    }));
    throw new ValidationError('The indicator query is invalid.', { errors });
  }
  return parsed.data;
}
