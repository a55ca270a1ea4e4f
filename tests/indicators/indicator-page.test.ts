// /ui/indicators in Debian's Chromium on a generated history: charts, tables, definitions, CSV equal to the JSON, axe.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorReport } from '../../broker/indicators/index.ts';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe } from '../support/processes.ts';
import {
  consoleErrors,
  expectAccessible,
  launchBrowser,
  screenshot,
  SCREENSHOT_DIR,
  signIn,
  type UiBroker,
} from '../ui/browser.ts';

const WINDOW = (() => {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), period: 'month' };
})();
const QUERY = new URLSearchParams(WINDOW).toString();

/** A broker whose embedded database first got a synthetic history from `schakel demo generate`. */
async function startBrokerWithHistory(): Promise<UiBroker> {
  const cwd = scratchDir('ui-indicators');
  const generated = await runSchakel(['demo', 'generate', '--cases', '60', '--months', '8', '--seed', '5'], {
    cwd,
  });
  if (generated.code !== 0) throw new Error(`demo generate failed: ${generated.stderr}`);
  const serve = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' }, timeoutMs: 60_000 });
  return {
    serve,
    cwd,
    pki: path.join(cwd, 'var/pki'),
    origin: `https://localhost:${serve.port}`,
    async stop() {
      await serve.stop('SIGTERM');
    },
  };
}

/** GET as a signed-in person with their certificate (no browser), for the JSON to compare with. */
async function getAsPerson(broker: UiBroker, person: string, url: string) {
  const dir = path.join(broker.pki, 'people', person);
  const agent = new Agent({
    connect: {
      ca: readFileSync(path.join(broker.pki, 'ca.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      servername: 'localhost',
    },
  });
  try {
    const res = await fetch(`https://127.0.0.1:${broker.serve.port}${url}`, { dispatcher: agent });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  } finally {
    await agent.close();
  }
}

describe('the evaluator page', () => {
  let broker: UiBroker;
  let browser: Browser;
  let report: IndicatorReport;

  beforeAll(async () => {
    broker = await startBrokerWithHistory();
    browser = await launchBrowser();
    const json = await getAsPerson(broker, 'evaluator', `/v1/indicators?${QUERY}`);
    expect(json.status, json.text).toBe(200);
    report = JSON.parse(json.text) as IndicatorReport;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.stop();
  });

  it('shows every indicator as a chart with its definition and a table, without console errors', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const response = await page.goto(`${broker.origin}/ui/indicators?${QUERY}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toContain('Procesindicatoren');
    expect(await page.locator('[data-indicator-chart] svg').count()).toBe(25);
    expect(await page.locator('table[data-indicator-table]').count()).toBe(25);
    // Each table has a row per period, and shows the same totals as the JSON.
    for (const indicator of report.indicators) {
      const cells = page.locator(`table[data-indicator-table="${indicator.id}"] tbody td[data-value]`);
      const values = await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')));
      const expected = report.periods.map((period) => {
        const total = indicator.cells.find((c) => c.period === period && c.breakdown === 'totaal');
        return total?.value === null || total === undefined ? '' : String(total.value);
      });
      expect(values, indicator.id).toEqual(expected);
    }
    await expect(page.locator('#I10').textContent()).resolves.toContain('conflict');
    // The chart carries data: I01 (reports) has bars for the months with reports.
    expect(await page.locator('[data-indicator-chart="I01"] svg path').count()).toBeGreaterThan(1);
    await screenshot(page, 'indicators');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'indicators-top.png') });
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('downloads a CSV that parses back to the numbers of the JSON', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui/indicators?${QUERY}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[download]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`indicatoren-${WINDOW.from}-${WINDOW.to}-month.csv`);
    const text = readFileSync(await download.path(), 'utf8');
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true, skip_empty_lines: true });
    const fromJson = report.indicators.flatMap((i) =>
      i.cells.map((c) => ({
        indicator: i.id,
        period: c.period,
        breakdown: c.breakdown,
        key: c.key ?? '',
        value: c.value === null ? '' : String(c.value),
        numerator: c.numerator === null ? '' : String(c.numerator),
        denominator: c.denominator === null ? '' : String(c.denominator),
        median: c.median === null ? '' : String(c.median),
        p90: c.p90 === null ? '' : String(c.p90),
      })),
    );
    expect(
      rows.map(({ indicator, period, breakdown, key, value, numerator, denominator, median, p90 }) => ({
        indicator,
        period,
        breakdown,
        key,
        value,
        numerator,
        denominator,
        median,
        p90,
      })),
    ).toEqual(fromJson);
    expect(rows.length).toBeGreaterThan(25 * report.periods.length);
    // Numbers parse as numbers and agree with the JSON's.
    const i06 = rows.filter((r) => r.indicator === 'I06' && r.breakdown === 'totaal');
    expect(i06.map((r) => (r.value!.startsWith('<') ? r.value : Number(r.value)))).toEqual(
      report.indicators
        .find((i) => i.id === 'I06')!
        .cells.filter((c) => c.breakdown === 'totaal')
        .map((c) => c.value),
    );
    await context.close();
  });

  it('keeps the chosen window when the language is switched', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    const chosen = { from: WINDOW.from, to: WINDOW.to, period: 'quarter' };
    await page.goto(`${broker.origin}/ui/indicators?${new URLSearchParams(chosen).toString()}`);
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ ...chosen, lang: 'en' });
    expect(await page.locator('select[name="period"]').inputValue()).toBe('quarter');
    await context.close();
  }, 60_000);

  it('names the bad field of an impossible window and keeps the form', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    const response = await page.goto(
      `${broker.origin}/ui/indicators?from=2025-05-01&to=2025-01-01&period=month`,
    );
    expect(response?.status()).toBe(422);
    await expect(page.locator('[role="alert"]').textContent()).resolves.toContain('to');
    expect(await page.locator('#indicators-from').inputValue()).toBe('2025-05-01');
    await expectAccessible(page);
    await context.close();
  });

  it('refuses people without the evaluator role, on the page and the CSV', async () => {
    const page = await getAsPerson(broker, 'po-politie', `/ui/indicators?${QUERY}`);
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('data-indicator-table');
    const csv = await getAsPerson(broker, 'behandelaar-ggz', `/ui/indicators/indicatoren.csv?${QUERY}`);
    expect(csv.status).toBe(403);
    expect(csv.type).not.toContain('text/csv');
  });

  it('never shows a pseudonym or the AIVD by id', async () => {
    const page = await getAsPerson(broker, 'evaluator', `/ui/indicators?${QUERY}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/p\d+\.[A-Za-z0-9_-]{20,}/);
    expect(page.text).not.toContain('demo-aivd');
    const csv = await getAsPerson(broker, 'evaluator', `/ui/indicators/indicatoren.csv?${QUERY}`);
    expect(csv.text).not.toContain('demo-aivd');
  });
});
