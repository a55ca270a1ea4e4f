// The catalogue is validated at start-up: every problem named, with the stable code.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue, parseCatalogue } from '../../broker/indicators/index.ts';
import { csvField } from '../../broker/indicators/csv.ts';
import { splitViews } from '../../broker/indicators/views.ts';
import { bindTemplate } from '../../broker/indicators/template.ts';

const definition = {
  id: 'I01',
  stage: 'melding',
  titleNl: 'Meldingen',
  titleEn: 'Reports',
  definition: 'Reports per period.',
  numerator: 'reports',
  denominator: null,
  unit: 'count',
  events: ['melding_ontvangen'],
  breakdowns: ['region'],
  query: { inline: 'select reported_at as at, person, 1 as value from v_cases' },
};
const files: Record<string, string> = { 'views.sql': 'v_x as (select 1)' };
const compiler = new Kysely<never>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const read = (file: string) => files[file] ?? '';

function problemsOf(raw: unknown, extra: Record<string, string> = {}): readonly string[] {
  try {
    parseCatalogue(raw, (file) => extra[file] ?? read(file));
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).code).toBe('ERR_INDICATOR_CATALOGUE');
    return (error as CatalogueError).problems;
  }
  throw new Error('the catalogue was accepted');
}

describe('indicator catalogue', () => {
  it('loads the shipped catalogue of 25 definitions', () => {
    expect(loadCatalogue().indicators).toHaveLength(25);
  });

  it('accepts a definition replaced without code changes', () => {
    const catalogue = parseCatalogue({ version: 1, views: 'views.sql', indicators: [definition] }, read);
    expect(catalogue.indicators[0]?.sql).toContain('v_cases');
  });

  it('names schema errors: unit, breakdown, id', () => {
    const problems = problemsOf({
      version: 1,
      views: 'views.sql',
      indicators: [{ ...definition, id: 'X1', unit: 'percent', breakdowns: ['person'] }],
    });
    expect(problems.join('\n')).toMatch(/indicators\.0\.id/);
    expect(problems.join('\n')).toMatch(/indicators\.0\.unit/);
    expect(problems.join('\n')).toMatch(/indicators\.0\.breakdowns\.0/);
  });

  it('names duplicate ids, unknown parameters, several statements and empty files', () => {
    const problems = problemsOf({
      version: 1,
      views: 'missing.sql',
      indicators: [
        definition,
        { ...definition, query: { inline: 'select * from cases where created_at > :since' } },
        { ...definition, id: 'I02', query: { inline: 'select 1; drop table cases' } },
      ],
    });
    expect(problems).toContain('views: empty query');
    expect(problems).toContain('I01: duplicate id');
    expect(problems.some((p) => p.startsWith('I01: unknown parameter :since'))).toBe(true);
    expect(problems).toContain('I02: must be one statement without ;');
  });

  it('splits the shipped views one by one, comments and strings with commas included', () => {
    expect(loadCatalogue().viewDefinitions.map((v) => v.name)).toEqual([
      'v_partners',
      'v_cases',
      'v_events',
      'v_items',
    ]);
    const problems: string[] = [];
    const views = splitViews(
      `-- first, a comment (with a comma)\nv_a as (select 'x, y' as "q,", f(1, 2) from t), V_b (n) as (select 1)`,
      problems,
    );
    expect(problems).toEqual([]);
    expect(views.map((v) => v.name)).toEqual(['v_a', 'v_b']);
    expect(views[0]?.cte).toContain(`'x, y' as "q,", f(1, 2)`);
  });

  it('names views that could stand in for a table and parts that are not a view', () => {
    const problems = problemsOf(
      { version: 1, views: 'bad-views.sql', indicators: [definition] },
      { 'bad-views.sql': 'cases as (select 1), v_x as (select 1), v_x as (select 2), select 3' },
    );
    expect(problems).toContain("views: cases: a view's name must start with v_");
    expect(problems).toContain('views: v_x: defined twice');
    expect(problems).toContain('views: part 4 is not "name as (select ...)"');
  });

  it('reports an unreadable catalogue folder', () => {
    expect(() => loadCatalogue('/nonexistent')).toThrow(CatalogueError);
  });

  it('binds named parameters as values, leaving casts and slices alone', () => {
    const compiled = bindTemplate('select x::date, a[1:2] from t where at >= :from and p = :period', {
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date(0),
      now: new Date(0),
      period: 'month',
    }).compile(compiler);
    expect(compiled.sql).toBe(
      'select x::date, a[1:2] from t where at >= cast($1 as timestamptz) and p = cast($2 as text)',
    );
    expect(compiled.parameters).toEqual(['2025-01-01T00:00:00.000Z', 'month']);
  });

  it('quotes CSV fields as RFC 4180 asks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});
