// Indicator windows at the edges of the calendar: year 0 and the far future answer 422 naming the field, on the API, the page and the CSV.
import type { MiddlewareHandler } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import type { Identity } from '../../broker/identity/identity.ts';
import { indicatorRoutes, loadCatalogue } from '../../broker/indicators/index.ts';
import { createLogger } from '../../broker/logger.ts';
import type { Store } from '../../broker/store/database.ts';
import { indicatorPages } from '../../broker/ui/indicators/indicator-pages.ts';
import { uiRoutes } from '../../broker/ui/ui-routes.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';

const EVALUATOR: Identity = {
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
  person: { id: 'e-1', name: 'Eva', role: 'evaluator', partnerId: 'demo-politie' },
  certificate: { serial: '01', issuer: 'test', x5tS256: 'x', notAfter: new Date('2030-01-01') },
};

const asEvaluator: MiddlewareHandler<AppEnv> = async function asEvaluator(c, next) {
  c.set('identity', EVALUATOR);
  await next();
};

const OUT_OF_RANGE: readonly [string, string][] = [
  ['from=0000-01-01&to=0000-12-31', 'from'],
  ['from=0000-01-01&to=2025-01-31', 'from'],
  ['from=0001-01-01&to=0001-12-31&period=quarter', 'from'],
  ['from=1899-12-31&to=1900-01-31', 'from'],
  ['from=9999-01-01&to=9999-12-31&period=year', 'to'],
  ['from=2999-06-01&to=3000-01-01', 'to'],
];

describe.each(BACKENDS)('indicator windows at the edges of the calendar on %s', (backend) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    store = await openTestStore(backend);
    const deps = {
      db: store.db,
      catalogue: loadCatalogue(),
      k: 5,
      now: () => new Date('2025-12-31T12:00:00Z'),
    };
    app = createApp({
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics({ collectProcessMetrics: false }),
      maxBodyBytes: 65536,
      guards: [asEvaluator],
      routes: [indicatorRoutes(deps), uiRoutes({ pages: [indicatorPages(deps)] })],
    });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it.each(OUT_OF_RANGE)('answers GET /v1/indicators?%s with 422 naming %s', async (query, field) => {
    for (const url of [`/v1/indicators?${query}`, `/v1/indicators?${query}&format=csv`]) {
      const res = await app.request(url);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe('ERR_VALIDATION');
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it.each(OUT_OF_RANGE)(
    'answers /ui/indicators?%s with 422 naming %s, page and CSV',
    async (query, field) => {
      const page = await app.request(`/ui/indicators?${query}`);
      expect(page.status).toBe(422);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(new RegExp(`role="alert"[\\s\\S]*${field}`));
      const csv = await app.request(`/ui/indicators/indicatoren.csv?${query}`);
      expect(csv.status).toBe(422);
    },
  );

  it('still answers the first and last years it allows', async () => {
    for (const query of [
      'from=1900-01-01&to=1900-12-31&period=quarter',
      'from=2999-01-01&to=2999-12-31&period=year',
    ]) {
      expect((await app.request(`/v1/indicators?${query}`)).status).toBe(200);
      expect((await app.request(`/ui/indicators?${query}`)).status).toBe(200);
    }
  });
});
