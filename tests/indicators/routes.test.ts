// GET /v1/indicators through app.request(): evaluator only, 422 on bad parameters, JSON and spreadsheet CSV.
import type { MiddlewareHandler } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import type { Identity } from '../../broker/identity/identity.ts';
import { indicatorRoutes, loadCatalogue, type IndicatorReport } from '../../broker/indicators/index.ts';
import { createLogger } from '../../broker/logger.ts';
import type { Store } from '../../broker/store/database.ts';
import { openTestStore } from '../support/databases.ts';
import { seedHistory } from './seed.ts';

const person = (role: string): Identity => ({
  kind: 'person',
  partner: {
    id: 'demo-politie',
    kind: 'politie',
    identifierType: 'oin',
    identifier: '1',
    unit: '',
    organisation: 'x',
    national: false,
  },
  person: { id: 'e-1', name: 'Eva', role, partnerId: 'demo-politie' },
  certificate: { serial: '01', issuer: 'test', x5tS256: 'x', notAfter: new Date(0) },
});

const asPerson: MiddlewareHandler<AppEnv> = async function asPerson(c, next) {
  c.set('identity', person(c.req.header('x-test-role') ?? 'evaluator'));
  await next();
};

/** A minimal RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      field += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('GET /v1/indicators', () => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await seedHistory(store.db);
    app = createApp({
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics({ collectProcessMetrics: false }),
      maxBodyBytes: 65536,
      guards: [asPerson],
      routes: [
        indicatorRoutes({
          db: store.db,
          catalogue: loadCatalogue(),
          k: 5,
          now: () => new Date('2025-12-31T12:00:00Z'),
        }),
      ],
    });
  }, 60_000);
  afterAll(async () => store.close());

  it('answers an evaluator with the report as JSON', async () => {
    const res = await app.request('/v1/indicators?from=2025-01-01&to=2025-03-31&period=quarter');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as IndicatorReport;
    expect(body.periods).toEqual(['2025-Q1']);
    expect(body.indicators).toHaveLength(25);
  });

  it('refuses anyone without the evaluator role', async () => {
    const res = await app.request('/v1/indicators?from=2025-01-01&to=2025-03-31', {
      headers: { 'x-test-role': 'privacy_officer' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_FORBIDDEN');
  });

  it.each([
    ['from=2025-13-01&to=2025-03-31', 'from'],
    ['to=2025-03-31', 'from'],
    ['from=2025-03-01&to=2025-01-31', 'to'],
    ['from=2025-01-01&to=2025-03-31&period=week', 'period'],
    ['from=2025-01-01&to=2040-03-31', 'to'],
    ['from=2025-01-01&to=2025-03-31&format=xlsx', 'format'],
  ])('answers 422 naming the field for %s', async (query, field) => {
    const res = await app.request(`/v1/indicators?${query}`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('ERR_VALIDATION');
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('gives CSV a spreadsheet opens: BOM, header, CRLF, one row per cell, same numbers as JSON', async () => {
    const url = '/v1/indicators?from=2025-01-01&to=2025-06-30&period=quarter';
    const json = (await (await app.request(url)).json()) as IndicatorReport;
    const res = await app.request(`${url}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
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
    ]);
    const cells = json.indicators.flatMap((i) => i.cells.map((c) => ({ id: i.id, ...c })));
    expect(rows).toHaveLength(cells.length);
    rows.forEach((row, n) => {
      const cell = cells[n]!;
      expect(row[0]).toBe(cell.id);
      expect(row[8]).toBe(cell.value === null ? '' : String(cell.value));
      expect(row[10]).toBe(cell.denominator === null ? '' : String(cell.denominator));
    });
    expect(rows.some((r) => r[8] === '<5')).toBe(true);
  });
});
