// Reporting periods: the calendar months, quarters or years a window covers, and their labels.

export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** The first day of each period (YYYY-MM-DD, Dutch calendar) from `from` through `to`, both YYYY-MM-DD. */
export function periodStarts(from: string, to: string, period: Period): string[] {
  const step = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  month = period === 'month' ? month : period === 'quarter' ? month - ((month - 1) % 3) : 1;
  const starts: string[] = [];
  for (;;) {
    const start = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
    if (start > to) return starts;
    starts.push(start);
    month += step;
    while (month > 12) {
      month -= 12;
      year += 1;
    }
  }
}

/** A period's label: 2025-03, 2025-Q1 or 2025. */
export function periodLabel(start: string, period: Period): string {
  const year = start.slice(0, 4);
  if (period === 'year') return year;
  if (period === 'month') return start.slice(0, 7);
  return `${year}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The instant a Dutch calendar date begins (Europe/Amsterdam), for the SQL window. */
export function amsterdamMidnight(date: string): Date {
  const utc = new Date(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(utc);
  // Amsterdam is UTC+1 or +2; midnight there is that many hours before UTC midnight.
  const offsetHours = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  return new Date(utc.getTime() - offsetHours * 3_600_000);
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
