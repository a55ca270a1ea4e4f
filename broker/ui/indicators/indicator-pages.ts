// /ui/indicators for evaluators: choose a period, each indicator as a chart with its definition and a table, CSV download.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Kysely } from 'kysely';
import { ValidationError } from '../../errors.ts';
import {
  computeIndicators,
  parseIndicatorQuery,
  reportToCsv,
  type Catalogue,
  type IndicatorQuery,
} from '../../indicators/index.ts';
import type { Database } from '../../store/schema.ts';
import { fieldProblems } from '../components.ts';
import { layout } from '../layout.ts';
import { pageContext } from '../page-context.ts';
import type { UiEnv, UiPage } from '../ui-env.ts';
import { indicatorMessages } from './indicator-messages.ts';
import { INDICATOR_STYLESHEET, mountIndicatorStylesheet } from './indicator-style.ts';
import { indicatorSection, periodForm, tableOfContents } from './indicator-view.ts';

const EVALUATORS = ['evaluator'] as const;

export interface IndicatorPagesDeps {
  readonly db: Kysely<Database>;
  /** Loaded (and so validated) at start-up. */
  readonly catalogue: Catalogue;
  /** config.indicators.k */
  readonly k: number;
  /** extractionConnections(config.database); 1 when absent. */
  readonly connections?: number;
  readonly now?: () => Date;
}

/** The default window: the twelve whole months before the current one, by month. */
export function defaultWindow(now: Date): IndicatorQuery {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10), period: 'month' };
}

/** The window the query asks for (the default when it names none). @throws ValidationError (ERR_VALIDATION) */
function windowOf(c: Context<UiEnv>, now: Date): IndicatorQuery {
  const { from, to, period } = c.req.query();
  if (from === undefined && to === undefined && period === undefined) return defaultWindow(now);
  return parseIndicatorQuery({ from, to, period });
}

/**
 * The evaluator's page: `GET /ui/indicators?from=&to=&period=` and the CSV of the same window at
 * `GET /ui/indicators/indicatoren.csv?from=&to=&period=`. Evaluators only (ERR_FORBIDDEN for
 * anyone else); only aggregates ever reach the page, with cells under k suppressed.
 *
 * @example uiRoutes({ pages: [indicatorPages({ db: store.db, catalogue: loadIndicatorCatalogue(), k: config.indicators.k })] })
 */
export function indicatorPages(deps: IndicatorPagesDeps): UiPage {
  const now = deps.now ?? (() => new Date());
  // The signal aborts when the person's browser goes away: the extraction stops holding connections.
  const compute = (query: IndicatorQuery, signal: AbortSignal) =>
    computeIndicators(
      { db: deps.db, catalogue: deps.catalogue, k: deps.k, now, connections: deps.connections ?? 1, signal },
      query,
    );
  return {
    nav: { path: '/ui/indicators', roles: [...EVALUATORS], label: (t) => t.nav.indicators ?? 'Indicatoren' },
    mount(ui) {
      mountIndicatorStylesheet(ui);

      ui.get('/indicators', async function indicatorPage(c) {
        const ctx = pageContext(c, EVALUATORS);
        const m = indicatorMessages(ctx.lang);
        let query: IndicatorQuery;
        try {
          query = windowOf(c, now());
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const asked = c.req.query();
          const body = html`<link rel="stylesheet" href="${INDICATOR_STYLESHEET}" />
            ${fieldProblems(m.fixFields, error.errors ?? [])} ${periodForm(m, asked)}`;
          return c.html(layout(ctx, { title: m.title, body }), 422);
        }
        const report = await compute(query, c.req.raw.signal);
        const csvHref = `/ui/indicators/indicatoren.csv?${new URLSearchParams({ ...query }).toString()}`;
        const sections = await Promise.all(
          report.indicators.map((i) => indicatorSection(m, ctx.lang, report, i)),
        );
        const body = html`<link rel="stylesheet" href="${INDICATOR_STYLESHEET}" />
          <p class="utrecht-paragraph">${m.intro}</p>
          ${periodForm(m, query)}
          <p class="utrecht-paragraph">${m.summary(report.from, report.to, report.k)}</p>
          <p class="utrecht-paragraph">
            <a class="nl-link" href="${csvHref}" download>${m.csv}</a>
            <span class="schakel-indicators__hint">${m.csvHint}</span>
          </p>
          ${tableOfContents(m, ctx.lang, report)} ${sections}`;
        return c.html(layout(ctx, { title: m.title, body }));
      });

      ui.get('/indicators/indicatoren.csv', async function indicatorCsv(c) {
        pageContext(c, EVALUATORS);
        const query = windowOf(c, now());
        const report = await compute(query, c.req.raw.signal);
        return c.body(reportToCsv(report), 200, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="indicatoren-${query.from}-${query.to}-${query.period}.csv"`,
        });
      });
    },
  };
}
