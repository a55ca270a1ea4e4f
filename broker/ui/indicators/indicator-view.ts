// The parts of the evaluator page: the period form, the list of indicators, and one indicator's chart, definition and table.
import { html, raw } from 'hono/html';
import type { Figure, IndicatorCell, IndicatorReport, IndicatorResult } from '../../indicators/index.ts';
import type { Lang } from '../i18n/language.ts';
import type { Html } from '../layout.ts';
import { renderChart } from './indicator-chart.ts';
import type { IndicatorMessages } from './indicator-messages.ts';

const PERIODS = ['month', 'quarter', 'year'] as const;

/** The GET form choosing the window; `values` are what the person asked for (echoed, escaped). */
export function periodForm(
  m: IndicatorMessages,
  values: { readonly from?: string; readonly to?: string; readonly period?: string },
): Html {
  return html`<form class="schakel-section" method="get" action="/ui/indicators">
    <fieldset class="utrecht-form-fieldset">
      <legend class="utrecht-form-fieldset__legend">${m.form.legend}</legend>
      <div class="schakel-indicators__form">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="indicators-from">${m.form.from}</label>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            type="date"
            id="indicators-from"
            name="from"
            value="${values.from ?? ''}"
            required
          />
        </div>
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="indicators-to">${m.form.to}</label>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            type="date"
            id="indicators-to"
            name="to"
            value="${values.to ?? ''}"
            required
          />
        </div>
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="indicators-period">${m.form.period}</label>
          <select class="utrecht-select utrecht-select--html-select" id="indicators-period" name="period">
            ${PERIODS.map(
              (p) =>
                html`<option value="${p}" ${p === (values.period ?? 'month') ? 'selected' : ''}>
                  ${m.form.periods[p]}
                </option>`,
            )}
          </select>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">
          ${m.form.submit}
        </button>
      </div>
    </fieldset>
  </form>`;
}

const title = (lang: Lang, i: IndicatorResult) => (lang === 'en' ? i.titleEn : i.titleNl);

/** Links to every indicator on the page. */
export function tableOfContents(m: IndicatorMessages, lang: Lang, report: IndicatorReport): Html {
  return html`<nav aria-labelledby="indicators-contents">
    <h2 class="nl-heading nl-heading--level-2" id="indicators-contents">${m.contents}</h2>
    <ol class="utrecht-ordered-list schakel-indicators__toc">
      ${report.indicators.map(
        (i) =>
          html`<li class="utrecht-ordered-list__item">
            <a class="nl-link" href="#${i.id}">${i.id} ${title(lang, i)}</a> (${m.stages[i.stage] ?? i.stage})
          </li>`,
      )}
    </ol>
  </nav>`;
}

/** The figure a chart plots: the percentage of a share, the median of a duration, the count. */
function plotted(cell: IndicatorCell): number | null {
  return typeof cell.value === 'number' ? cell.value : null;
}

function shown(lang: Lang, m: IndicatorMessages, figure: Figure): string {
  if (figure === null) return m.empty;
  if (typeof figure === 'string') return figure;
  return figure.toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
}

/** Which columns a unit's table has beyond the period and the value. */
function columns(unit: IndicatorResult['unit']): ('numerator' | 'denominator' | 'median' | 'p90')[] {
  if (unit === 'share') return ['numerator', 'denominator'];
  if (unit === 'days' || unit === 'hours') return ['denominator', 'p90'];
  return [];
}

/**
 * One indicator: heading, the chart over the window's periods (vega SVG, hidden from assistive
 * technology because the table carries the same figures), its definition from the catalogue, and
 * the table of totals per period.
 */
export async function indicatorSection(
  m: IndicatorMessages,
  lang: Lang,
  report: IndicatorReport,
  indicator: IndicatorResult,
): Promise<Html> {
  const totals = report.periods.map(
    (period) => indicator.cells.find((c) => c.period === period && c.breakdown === 'totaal') ?? null,
  );
  const svg = await renderChart({
    axisTitle: m.axis[indicator.unit] ?? indicator.unit,
    mark: indicator.unit === 'count' ? 'bar' : 'line',
    percent: indicator.unit === 'share',
    periods: report.periods,
    points: report.periods.map((period, n) => ({
      period,
      value: totals[n] === null ? null : plotted(totals[n]!),
    })),
  });
  const name = `${indicator.id} ${title(lang, indicator)}`;
  const extra = columns(indicator.unit);
  // The catalogue's definitions are written in English: mark them so on the Dutch page (WCAG 3.1.2).
  const catalogueLang = lang === 'en' ? undefined : 'en';
  return html`<section class="schakel-indicator" id="${indicator.id}" aria-labelledby="${indicator.id}-title">
    <h2 class="nl-heading nl-heading--level-2" id="${indicator.id}-title">${name}</h2>
    <div class="schakel-indicator__grid">
      <figure class="schakel-indicator__chart" data-indicator-chart="${indicator.id}">
        <div aria-hidden="true">${raw(svg)}</div>
        <figcaption>${m.chartCaption(name)}</figcaption>
      </figure>
      <dl class="schakel-indicator__definition">
        <dt>${m.definition}</dt>
        <dd lang="${catalogueLang ?? lang}">${indicator.definition}</dd>
        <dt>${m.numerator}</dt>
        <dd lang="${catalogueLang ?? lang}">${indicator.numerator}</dd>
        ${
          indicator.denominator === null
            ? ''
            : html`<dt>${m.denominator}</dt>
                <dd lang="${catalogueLang ?? lang}">${indicator.denominator}</dd>`
        }
        <dt>${m.unit}</dt>
        <dd>${m.units[indicator.unit] ?? indicator.unit}</dd>
        <dt>${m.events}</dt>
        <dd><code>${indicator.events.join(', ')}</code></dd>
        ${
          indicator.breakdowns.length === 0
            ? ''
            : html`<dt>${m.breakdowns}</dt>
                <dd><code>${indicator.breakdowns.join(', ')}</code></dd>`
        }
      </dl>
    </div>
    <div class="schakel-table-wrap">
      <table class="utrecht-table utrecht-table--html-table" data-indicator-table="${indicator.id}">
        <caption class="utrecht-table__caption">
          ${m.table.caption(name)}
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th scope="col" class="utrecht-table__header-cell">${m.table.period}</th>
            <th scope="col" class="utrecht-table__header-cell schakel-num">
              ${indicator.unit === 'days' || indicator.unit === 'hours' ? m.table.median : m.table.value}
            </th>
            ${extra.map((col) => html`<th scope="col" class="utrecht-table__header-cell schakel-num">${m.table[col]}</th>`)}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${report.periods.map((period, n) => {
            const cell = totals[n];
            return html`<tr class="utrecht-table__row">
              <th scope="row" class="utrecht-table__header-cell">${period}</th>
              <td class="utrecht-table__cell schakel-num" data-value="${cell?.value ?? ''}">
                ${shown(lang, m, cell?.value ?? null)}
              </td>
              ${extra.map(
                (col) =>
                  html`<td class="utrecht-table__cell schakel-num">
                    ${shown(lang, m, cell?.[col] ?? null)}
                  </td>`,
              )}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}
