// The 25 indicators on a hand-built history, on every backend: values, suppression, the AIVD and pseudonyms.
import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeIndicators,
  extractionConnections,
  loadCatalogue,
  type IndicatorCell,
  type IndicatorReport,
} from '../../broker/indicators/index.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { seedHistory } from './seed.ts';

const catalogue = loadCatalogue();
const NOW = () => new Date('2025-12-31T12:00:00Z');
const QUERY = { from: '2025-01-01', to: '2025-06-30', period: 'quarter' } as const;

function cellOf(
  report: IndicatorReport,
  id: string,
  period: string,
  breakdown = 'totaal',
  key: string | null = null,
) {
  const cell = report.indicators
    .find((i) => i.id === id)
    ?.cells.find((c) => c.period === period && c.breakdown === breakdown && c.key === key);
  if (cell === undefined) throw new Error(`no cell ${id} ${period} ${breakdown} ${key}`);
  return cell;
}
const figures = (c: IndicatorCell) => ({
  value: c.value,
  numerator: c.numerator,
  denominator: c.denominator,
});

describe.each(BACKENDS)('indicators on %s', (backend) => {
  let store: Store;
  let report: IndicatorReport;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await seedHistory(store.db);
    report = await computeIndicators({ db: store.db, catalogue, k: 5, now: NOW }, QUERY);
  }, 60_000);
  afterAll(async () => store.close());

  it('computes all 25 indicators for each quarter of the window', () => {
    expect(report.indicators.map((i) => i.id)).toEqual(
      Array.from({ length: 25 }, (_, n) => `I${String(n + 1).padStart(2, '0')}`),
    );
    expect(report.periods).toEqual(['2025-Q1', '2025-Q2']);
    expect(cellOf(report, 'I01', '2025-Q1').value).toBe(20);
    expect(cellOf(report, 'I01', '2025-Q2').value).toBe(0);
  });

  it('gives the hand-computed counts, shares and durations', () => {
    const q1 = (id: string, breakdown?: string, key?: string) =>
      cellOf(report, id, '2025-Q1', breakdown, key ?? null);
    expect(q1('I01', 'code', 'rik').value).toBe(20);
    expect([q1('I03').median, q1('I03').p90, q1('I03').denominator]).toEqual([2, 4, 20]);
    expect(figures(q1('I04'))).toEqual({ value: 75, numerator: 15, denominator: 20 });
    expect(figures(q1('I05'))).toEqual({ value: 0, numerator: 0, denominator: 20 });
    expect(q1('I06').value).toBe(30);
    expect(q1('I06', 'partner', 'demo-ggz').value).toBe(15);
    expect(q1('I06', 'partner', 'demo-om').value).toBe(10);
    expect(figures(q1('I07'))).toEqual({ value: 83.3, numerator: 25, denominator: 30 });
    expect(figures(q1('I07', 'partner', 'demo-ggz'))).toEqual({
      value: 66.7,
      numerator: 10,
      denominator: 15,
    });
    expect(q1('I08', 'code', 'disclosed').value).toBe(15);
    expect(q1('I08', 'code', 'refused').value).toBe(5);
    expect(q1('I08', 'code', 'not_found').value).toBe(5);
    expect([q1('I09').median, q1('I09').p90]).toEqual([2, 12]);
    expect([q1('I09', 'partner', 'demo-ggz').median, q1('I09', 'partner', 'demo-ggz').p90]).toEqual([9, 12]);
    expect(q1('I10', 'code', 'conflict_van_plichten').value).toBe(5);
    expect(q1('I10', 'code', 'geweigerd').value).toBe(5);
    expect(figures(q1('I11'))).toEqual({ value: 100, numerator: 15, denominator: 15 });
    expect(figures(q1('I12'))).toEqual({ value: 0, numerator: 0, denominator: 20 });
    expect(figures(q1('I13'))).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(figures(q1('I14'))).toEqual({ value: 0, numerator: 0, denominator: 20 });
    expect(figures(q1('I15'))).toEqual({ value: 66.7, numerator: 10, denominator: 15 });
    expect(figures(q1('I16'))).toEqual({ value: 100, numerator: 10, denominator: 10 });
    expect(figures(q1('I17'))).toEqual({ value: 0, numerator: 0, denominator: 10 });
    expect(figures(q1('I18'))).toEqual({ value: 33.3, numerator: 5, denominator: 15 });
    expect({ ...figures(q1('I19')), median: q1('I19').median }).toEqual({
      value: 100,
      numerator: 5,
      denominator: 5,
      median: 3,
    });
    expect(figures(q1('I20'))).toEqual({ value: 0, numerator: 0, denominator: 15 });
    expect(figures(q1('I21'))).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(figures(q1('I22'))).toEqual({ value: 0, numerator: 0, denominator: 10 });
    expect(figures(q1('I23'))).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(figures(q1('I24'))).toEqual({ value: 0, numerator: 0, denominator: 15 });
    expect(cellOf(report, 'I25', '2025-Q2', 'code', 'dreiging_weggenomen').median).toBe(100);
  });

  it('counts the outcome stages of cases 31-35 as worked out by hand (2025-Q3)', async () => {
    const q3 = await computeIndicators(
      { db: store.db, catalogue, k: 5, now: NOW },
      { from: '2025-07-01', to: '2025-09-30', period: 'quarter' },
    );
    const total = (id: string) => figures(cellOf(q3, id, '2025-Q3'));
    const all = { value: 100, numerator: 5, denominator: 5 };
    // I05: politie, GGZ (released), OM and AIVD (not found) all answered before the decision.
    expect(total('I05')).toEqual(all);
    // I12: of ten requests with items, the five second requests were denied by need-to-know.
    expect(total('I12')).toEqual({ value: 50, numerator: 5, denominator: 10 });
    // I13: five break-glass uses, each reviewed 10 hours later.
    expect(total('I13')).toEqual(all);
    // I14: feedback to the source on day 5.
    expect(total('I14')).toEqual(all);
    // I17: re-assessed on 10 August, before the review date of 15 August; the second review date
    // (1 February 2026) is after the computation time and not yet counted.
    expect(total('I17')).toEqual(all);
    // I20: from not in care to in care after inclusion.
    expect(total('I20')).toEqual(all);
    // I21: action due 1 August, done 20 July.
    expect(total('I21')).toEqual(all);
    // I22: a monitoring contact on day 20, between the assessment and its review date.
    expect(total('I22')).toEqual(all);
    // I23: concern level from hoog to laag.
    expect(total('I23')).toEqual(all);
    // I24: an incident on day 30.
    expect(total('I24')).toEqual(all);
    // I15 and I16: assessed on day 2 after inclusion, after the GGZ answered.
    expect(total('I15')).toEqual(all);
    expect(total('I16')).toEqual({ value: 100, numerator: 10, denominator: 10 });
    expect(cellOf(q3, 'I01', '2025-Q3').value).toBe(5);
  });

  it('does not count a lawful GGZ refusal as a failure', () => {
    // Cases 6-10: the GGZ professional refused; the answer still counts (I07) and precedes the assessment (I16).
    expect(cellOf(report, 'I07', '2025-Q1', 'partner', 'demo-ggz').numerator).toBe(10);
    expect(cellOf(report, 'I16', '2025-Q1').value).toBe(100);
    expect(cellOf(report, 'I12', '2025-Q1').numerator).toBe(0);
  });

  it('hides cells under k persons and a second cell so the first cannot be subtracted out', () => {
    expect(cellOf(report, 'I01', '2025-Q1', 'region', 'Noord').value).toBe(10);
    const oost = cellOf(report, 'I01', '2025-Q1', 'region', 'Oost');
    const zuid = cellOf(report, 'I01', '2025-Q1', 'region', 'Zuid');
    expect([oost.value, oost.suppressed]).toEqual(['<5', true]);
    // Zuid (9 persons) is hidden only because total minus Noord would give Oost.
    expect([zuid.value, zuid.suppressed]).toEqual(['<5', true]);
    // One reporting unit's first report describes one person.
    expect(cellOf(report, 'I02', '2025-Q1').value).toBe('<5');
  });

  it('never leaves a single hidden cell under a shown total', () => {
    for (const indicator of report.indicators) {
      for (const period of report.periods) {
        const total = indicator.cells.find((c) => c.period === period && c.breakdown === 'totaal');
        if (total === undefined || total.suppressed) continue;
        for (const breakdown of indicator.breakdowns.filter((b) => !b.includes('+'))) {
          const hidden = indicator.cells.filter(
            (c) => c.period === period && c.breakdown === breakdown && c.suppressed,
          );
          expect(hidden.length, `${indicator.id} ${period} ${breakdown}`).not.toBe(1);
        }
      }
    }
  });

  it('shows the AIVD only as its kind and no pseudonym at all', () => {
    const json = JSON.stringify(report);
    expect(json).not.toContain('demo-aivd');
    expect(json).not.toContain('pseudo-');
    expect(cellOf(report, 'I06', '2025-Q1', 'partner', 'aivd').value).toBe(5);
  });

  it('raises k but never lowers it below 5', async () => {
    const strict = await computeIndicators({ db: store.db, catalogue, k: 10, now: NOW }, QUERY);
    expect(cellOf(strict, 'I01', '2025-Q1', 'region', 'Noord').value).toBe(10);
    expect(cellOf(strict, 'I19', '2025-Q1').value).toBe('<10');
    const lax = await computeIndicators({ db: store.db, catalogue, k: 2, now: NOW }, QUERY);
    expect(lax.k).toBe(5);
    expect(cellOf(lax, 'I01', '2025-Q1', 'region', 'Oost').value).toBe('<5');
  });

  it('stops an extraction whose client went away: no further indicator is queried, the pool is free again', async () => {
    let queries = 0;
    let onQuery = () => undefined as void;
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => {
        queries += 1;
        onQuery();
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    const db = store.db.withPlugin(counting);
    await computeIndicators({ db, catalogue, k: 5, now: NOW }, QUERY);
    const whole = queries;

    queries = 0;
    const client = new AbortController();
    onQuery = () => {
      if (queries === 3) client.abort();
    };
    const stopped = await computeIndicators(
      { db, catalogue, k: 5, now: NOW, signal: client.signal },
      QUERY,
    ).catch((error: unknown) => error);
    expect(stopped).toMatchObject({ code: 'ERR_CLIENT_CLOSED', status: 499 });
    // The views being filled when it went finish; none of the 25 indicators is asked.
    expect(queries).toBeLessThan(whole - 20);
    onQuery = () => undefined;
    await expect(
      computeIndicators({ db: store.db, catalogue, k: 5, now: NOW }, QUERY),
    ).resolves.toMatchObject({
      periods: ['2025-Q1', '2025-Q2'],
    });
  });

  it('runs the views read-only: a view that writes fails with ERR_INDICATOR_QUERY and changes nothing', async () => {
    await sql`create sequence if not exists indicator_write_probe`.execute(store.db);
    const writing = {
      ...catalogue,
      viewDefinitions: [
        ...catalogue.viewDefinitions,
        // A function that writes (a data-modifying CTE cannot even be nested in the fill).
        { name: 'v_written', cte: `v_written as (select nextval('indicator_write_probe') as n)` },
      ],
    };
    const failed = await computeIndicators({ db: store.db, catalogue: writing, k: 5, now: NOW }, QUERY).catch(
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ code: 'ERR_INDICATOR_QUERY', message: 'v_written: the view failed' });
    expect(String((failed as Error).cause)).toMatch(/read-only transaction/);
    const probe = await sql<{
      called: boolean;
    }>`select is_called as called from indicator_write_probe`.execute(store.db);
    expect(probe.rows[0]?.called).toBe(false);
    // The transaction's temporary tables are gone: the same connection computes again.
    const again = await computeIndicators({ db: store.db, catalogue, k: 5, now: NOW }, QUERY);
    expect(cellOf(again, 'I01', '2025-Q1').value).toBe(20);
  });

  it('reads one snapshot for the whole extraction, also on one connection', async () => {
    // Repeatable read: the view tables and every indicator see the same committed state. The probe
    // view divides by zero under any other isolation level.
    const probing = {
      ...catalogue,
      viewDefinitions: [
        ...catalogue.viewDefinitions,
        {
          name: 'v_isolation_probe',
          cte: `v_isolation_probe as (select 1 / (case when current_setting('transaction_isolation') = 'repeatable read' then 1 else 0 end) as ok)`,
        },
      ],
    };
    for (const connections of [1, 3]) {
      const probed = await computeIndicators(
        { db: store.db, catalogue: probing, k: 5, now: NOW, connections },
        QUERY,
      );
      expect(probed).toEqual(report);
    }
  });

  it('names the indicator whose query fails, with ERR_INDICATOR_QUERY', async () => {
    const [first, ...rest] = catalogue.indicators;
    const broken = {
      ...catalogue,
      indicators: [...rest, { ...first!, id: 'I99', sql: 'select no_such_column as at from v_cases' }],
    };
    for (const connections of [1, 3]) {
      const failed = await computeIndicators(
        { db: store.db, catalogue: broken, k: 5, now: NOW, connections },
        QUERY,
      ).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'ERR_INDICATOR_QUERY', message: 'I99: the query failed' });
    }
  });

  it('gives the same report on three connections sharing one snapshot as on one', async () => {
    // On PGlite the other two wait for its one connection and then find nothing left to do.
    const shared = await computeIndicators(
      { db: store.db, catalogue, k: 5, now: NOW, connections: 3 },
      QUERY,
    );
    expect(shared).toEqual(report);
  });

  it('computes months and years too', async () => {
    const months = await computeIndicators(
      { db: store.db, catalogue, k: 5, now: NOW },
      { ...QUERY, period: 'month' },
    );
    expect(months.periods).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(cellOf(months, 'I25', '2025-04').median).toBe(100);
    const year = await computeIndicators(
      { db: store.db, catalogue, k: 5, now: NOW },
      { ...QUERY, period: 'year' },
    );
    expect(cellOf(year, 'I01', '2025').value).toBe(20);
  });
});

describe('extraction connections', () => {
  it('uses the one connection of PGlite and at most a third of a PostgreSQL pool, up to three', () => {
    expect(extractionConnections({ kind: 'pglite' })).toBe(1);
    expect(extractionConnections({ kind: 'postgres', poolSize: 4 })).toBe(1);
    expect(extractionConnections({ kind: 'postgres', poolSize: 6 })).toBe(2);
    expect(extractionConnections({ kind: 'postgres', poolSize: 10 })).toBe(3);
    expect(extractionConnections({ kind: 'postgres', poolSize: 50 })).toBe(3);
  });
});
