// Server-side SVG charts of an indicator over time, rendered by vega-lite and vega (no browser, no canvas).
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of a chart: a period and its published value (null where suppressed or undefined). */
export interface ChartPoint {
  readonly period: string;
  readonly value: number | null;
}

export interface ChartInput {
  /** The y-axis title (the unit in the reader's language). */
  readonly axisTitle: string;
  /** Bars for counts, a line with points for shares and durations. */
  readonly mark: 'bar' | 'line';
  /** Shares run from 0 to 100. */
  readonly percent: boolean;
  /** Every period of the window, in order, so gaps show as gaps. */
  readonly periods: readonly string[];
  readonly points: readonly ChartPoint[];
}

// Rijkshuisstijl lintblauw; the axes and grid in the greys of the tokens.
const COLOUR = '#154273';

/**
 * Renders a small chart as an SVG string. vega writes presentation attributes only (no `style`
 * attributes or elements), so the SVG can be inlined under the pages' Content Security Policy.
 * Text in the SVG is escaped by vega.
 *
 * @example const svg = await renderChart({ axisTitle: '%', mark: 'line', percent: true, periods, points });
 */
export async function renderChart(input: ChartInput): Promise<string> {
  const spec: TopLevelSpec = {
    width: 320,
    height: 130,
    background: 'white',
    padding: 4,
    data: { values: input.points.filter((p) => p.value !== null).map((p) => ({ ...p })) },
    mark:
      input.mark === 'bar'
        ? { type: 'bar', color: COLOUR }
        : { type: 'line', color: COLOUR, point: { filled: true, size: 30, color: COLOUR } },
    encoding: {
      x: {
        field: 'period',
        type: 'ordinal',
        sort: [...input.periods],
        scale: { domain: [...input.periods] },
        title: null,
        axis: { labelAngle: -45, labelOverlap: 'greedy', labelFontSize: 9 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: input.axisTitle,
        ...(input.percent ? { scale: { domain: [0, 100] } } : {}),
        axis: { tickCount: 4, labelFontSize: 9, titleFontSize: 10 },
      },
    },
    config: {
      font: 'sans-serif',
      view: { stroke: null },
      axis: { gridColor: '#e6e6e6', domainColor: '#696969', tickColor: '#696969', labelColor: '#333' },
      // The table behind the chart carries the figures for assistive technology.
      aria: false,
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
