// GET /v1/indicators: the indicator report for signed-in evaluators, as JSON (or CSV with format=csv).
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../http/env.ts';
import { requirePerson } from '../identity/require.ts';
import type { Database } from '../store/schema.ts';
import type { Catalogue } from './catalogue.ts';
import { computeIndicators } from './compute.ts';
import { reportToCsv } from './csv.ts';
import { parseIndicatorQuery } from './params.ts';

export interface IndicatorRoutesDeps {
  readonly db: Kysely<Database>;
  /** Loaded (and so validated) at start-up with loadCatalogue(). */
  readonly catalogue: Catalogue;
  /** config.indicators.k */
  readonly k: number;
  /** extractionConnections(config.database); 1 when absent. */
  readonly connections?: number;
  readonly now?: () => Date;
}

/**
 * Mounts `GET /v1/indicators?from=YYYY-MM-DD&to=YYYY-MM-DD[&period=month|quarter|year][&format=json|csv]`.
 * Only people with the evaluator role; 422 (ERR_VALIDATION) names each bad parameter.
 *
 * @example createApp({ ..., routes: [indicatorRoutes({ db: store.db, catalogue: loadCatalogue(), k: config.indicators.k })] })
 */
export function indicatorRoutes(deps: IndicatorRoutesDeps) {
  return (app: Hono<AppEnv>) => {
    app.get('/v1/indicators', async function indicators(c) {
      requirePerson(c, ['evaluator']);
      const { format, ...rest } = c.req.query();
      const query = parseIndicatorQuery({
        ...rest,
        ...(format === undefined || format === 'json' || format === 'csv' ? {} : { format }),
      });
      const report = await computeIndicators(
        {
          db: deps.db,
          catalogue: deps.catalogue,
          k: deps.k,
          ...(deps.now ? { now: deps.now } : {}),
          ...(deps.connections === undefined ? {} : { connections: deps.connections }),
          // Aborted by the server when the client goes away: the extraction stops holding connections.
          signal: c.req.raw.signal,
        },
        query,
      );
      if (format === 'csv') {
        return c.body(reportToCsv(report), 200, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="indicatoren-${query.from}-${query.to}-${query.period}.csv"`,
        });
      }
      return c.json(report);
    });
  };
}
