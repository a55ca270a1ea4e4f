// schakel indicators on a generated history, on every backend: the report as JSON and as CSV, usage errors.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorReport } from '../../broker/indicators/index.ts';
import {
  BACKENDS,
  POSTGRES_URL,
  createScratchDatabase,
  scratchDir,
  type ScratchDatabase,
} from '../support/databases.ts';
import { runSchakel } from '../support/processes.ts';

/** The three whole months before the current one: the generated history lies in them. */
const WINDOW = (() => {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
})();

describe.each(BACKENDS)('schakel indicators on %s', (backend) => {
  const cwd = scratchDir('cli-indicators');
  let env: Record<string, string> = { SCHAKEL_LOG_LEVEL: 'warn' };
  let database: ScratchDatabase | undefined;

  beforeAll(async () => {
    if (backend === 'postgres') {
      database = await createScratchDatabase(POSTGRES_URL!, 'schakel_cli_ind');
      // A pool of 9 lets the command compute on three connections.
      env = { ...env, SCHAKEL_DATABASE_URL: database.url, SCHAKEL_DEMO: 'true', SCHAKEL_DB_POOL_SIZE: '9' };
    }
    const generated = await runSchakel(
      ['demo', 'generate', '--cases', '12', '--months', '3', '--seed', '7'],
      {
        cwd,
        env,
      },
    );
    if (generated.code !== 0) throw new Error(`demo generate failed: ${generated.stderr}`);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('prints the 25 indicators as JSON and the same figures as CSV', async () => {
    const args = ['indicators', '--from', WINDOW.from, '--to', WINDOW.to, '--period', 'month'];
    const json = await runSchakel(args, { cwd, env });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as IndicatorReport;
    expect(report.indicators).toHaveLength(25);
    expect(report.periods).toHaveLength(3);
    // Twelve cases over three months: each month's count is shown, or hidden as under k.
    const monthly = report.indicators
      .find((i) => i.id === 'I01')!
      .cells.filter((c) => c.breakdown === 'totaal');
    expect(monthly.map((c) => c.period)).toEqual(report.periods);
    for (const cell of monthly)
      expect(cell.value === '<5' || (typeof cell.value === 'number' && cell.value >= 5)).toBe(true);
    expect(monthly.some((c) => c.value !== 0)).toBe(true);

    const csv = await runSchakel([...args, '--format', 'csv'], { cwd, env });
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith('\uFEFFindicator,')).toBe(true);
    expect(csv.stdout).toContain('\r\n');
    const rows = parse<Record<string, string>>(csv.stdout.slice(1), { columns: true });
    expect(rows).toHaveLength(report.indicators.reduce((n, i) => n + i.cells.length, 0));
    for (const indicator of report.indicators) {
      for (const cell of indicator.cells.filter((c) => c.breakdown === 'totaal')) {
        const row = rows.find(
          (r) => r.indicator === indicator.id && r.period === cell.period && r.breakdown === 'totaal',
        );
        expect(row?.value, `${indicator.id} ${cell.period}`).toBe(
          cell.value === null ? '' : String(cell.value),
        );
      }
    }
  }, 120_000);

  it('refuses a window without --to, with exit 2', async () => {
    const run = await runSchakel(['indicators', '--from', WINDOW.from], { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from and --to are required');
  }, 60_000);
});
