// The strings of the evaluator page, in Dutch and English (the page's own section, kept beside it).
import type { Lang } from '../i18n/language.ts';

const nl = {
  title: 'Procesindicatoren',
  intro:
    'De 25 indicatoren voor de procesevaluatie, per periode. U ziet alleen totalen van groepen: een cel die minder dan k personen beschrijft, toont "<k".',
  form: {
    legend: 'Periode kiezen',
    from: 'Van (datum)',
    to: 'Tot en met (datum)',
    period: 'Indeling',
    periods: { month: 'per maand', quarter: 'per kwartaal', year: 'per jaar' } as Record<string, string>,
    submit: 'Tonen',
  },
  csv: 'Download als CSV (alle uitsplitsingen)',
  csvHint: 'UTF-8, komma-gescheiden, één regel per indicator, periode en uitsplitsing.',
  summary: (from: string, to: string, k: number) =>
    `Van ${from} tot en met ${to}; kleine aantallen (minder dan ${k}) zijn verborgen.`,
  contents: 'Indicatoren op deze pagina',
  stages: {
    melding: 'Melding',
    informatie: 'Informatie',
    risicotaxatie: 'Risicotaxatie',
    aanpak: 'Aanpak',
    monitoring: 'Monitoring',
    uitkomst: 'Uitkomst',
  } as Record<string, string>,
  definition: 'Definitie',
  numerator: 'Teller',
  denominator: 'Noemer',
  unit: 'Eenheid',
  events: 'Gebeurtenissen',
  breakdowns: 'Uitsplitsingen (in de CSV)',
  units: { count: 'aantal', share: 'percentage', days: 'dagen (mediaan)', hours: 'uren (mediaan)' } as Record<
    string,
    string
  >,
  axis: { count: 'aantal', share: '%', days: 'dagen', hours: 'uren' } as Record<string, string>,
  chartCaption: (title: string) => `${title}: grafiek per periode. De tabel eronder geeft dezelfde cijfers.`,
  table: {
    caption: (title: string) => `${title}: cijfers per periode (totaal)`,
    period: 'Periode',
    value: 'Waarde',
    numerator: 'Teller',
    denominator: 'Noemer',
    median: 'Mediaan',
    p90: '90e percentiel',
  },
  empty: '–',
  fixFields: 'Verbeter de volgende velden:',
};

export type IndicatorMessages = typeof nl;

const en: IndicatorMessages = {
  title: 'Process indicators',
  intro:
    'The 25 indicators for the process evaluation, per period. You see totals of groups only: a cell describing fewer than k persons shows "<k".',
  form: {
    legend: 'Choose a period',
    from: 'From (date)',
    to: 'Up to and including (date)',
    period: 'Grouping',
    periods: { month: 'by month', quarter: 'by quarter', year: 'by year' },
    submit: 'Show',
  },
  csv: 'Download as CSV (all breakdowns)',
  csvHint: 'UTF-8, comma-separated, one row per indicator, period and breakdown.',
  summary: (from, to, k) =>
    `From ${from} up to and including ${to}; small counts (fewer than ${k}) are hidden.`,
  contents: 'Indicators on this page',
  stages: {
    melding: 'Report',
    informatie: 'Information',
    risicotaxatie: 'Risk assessment',
    aanpak: 'Approach',
    monitoring: 'Monitoring',
    uitkomst: 'Outcome',
  },
  definition: 'Definition',
  numerator: 'Numerator',
  denominator: 'Denominator',
  unit: 'Unit',
  events: 'Events',
  breakdowns: 'Breakdowns (in the CSV)',
  units: { count: 'count', share: 'percentage', days: 'days (median)', hours: 'hours (median)' },
  axis: { count: 'count', share: '%', days: 'days', hours: 'hours' },
  chartCaption: (title) => `${title}: chart per period. The table below gives the same figures.`,
  table: {
    caption: (title) => `${title}: figures per period (total)`,
    period: 'Period',
    value: 'Value',
    numerator: 'Numerator',
    denominator: 'Denominator',
    median: 'Median',
    p90: '90th percentile',
  },
  empty: '–',
  fixFields: 'Please correct these fields:',
};

/** The page's strings in the reader's language. */
export function indicatorMessages(lang: Lang): IndicatorMessages {
  return lang === 'en' ? en : nl;
}
