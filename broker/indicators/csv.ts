// The report as CSV for spreadsheets: UTF-8 with BOM, a header row, CRLF lines, RFC 4180 quoting.
import type { Figure, IndicatorReport } from './compute.ts';

const HEADER = [
  'indicator',
  'title_nl',
  'title_en',
  'stage',
  'unit',
  'period',
  'breakdown',
  'key',
  'value',
  'numerator',
  'denominator',
  'median',
  'p90',
] as const;

/** Quotes a field when it holds a comma, quote, CR or LF; doubles inner quotes (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const figure = (f: Figure): string => (f === null ? '' : String(f));

/** One row per indicator × period × breakdown × key; suppressed numbers read `<k`. */
export function reportToCsv(report: IndicatorReport): string {
  const lines = [HEADER.join(',')];
  for (const indicator of report.indicators) {
    for (const c of indicator.cells) {
      lines.push(
        [
          indicator.id,
          indicator.titleNl,
          indicator.titleEn,
          indicator.stage,
          indicator.unit,
          c.period,
          c.breakdown,
          c.key ?? '',
          figure(c.value),
          figure(c.numerator),
          figure(c.denominator),
          figure(c.median),
          figure(c.p90),
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  // The BOM makes spreadsheet programs read UTF-8 (ë, é in Dutch titles) instead of a legacy code page.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
