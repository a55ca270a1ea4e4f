// The indicator catalogue: definitions as data (catalogue/catalogue.json plus SQL files), validated at start-up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CatalogueError } from './errors.ts';
import { TEMPLATE_PARAMETERS, namedParameters } from './template.ts';
import { splitViews, type ViewDefinition } from './views.ts';

/** Columns a query may return to break a figure down by; `a+b` crosses two. */
export const DIMENSIONS = ['partner', 'partner_kind', 'region', 'code'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The folder of the catalogue shipped with the broker. */
export const DEFAULT_CATALOGUE_DIR = path.join(import.meta.dirname, 'catalogue');

const breakdownSchema = z
  .string()
  .refine(
    (b) => b.split('+').every((d) => (DIMENSIONS as readonly string[]).includes(d)),
    `must be one of ${DIMENSIONS.join(', ')}, or two joined by +`,
  );

const definitionSchema = z
  .object({
    id: z.string().regex(/^I\d{2}$/, 'must look like I01'),
    stage: z.enum(['melding', 'informatie', 'risicotaxatie', 'aanpak', 'monitoring', 'uitkomst']),
    titleNl: z.string().min(1),
    titleEn: z.string().min(1),
    definition: z.string().min(1),
    numerator: z.string().min(1),
    denominator: z.string().min(1).nullable(),
    unit: z.enum(['count', 'share', 'days', 'hours']),
    events: z.array(z.string()),
    breakdowns: z.array(breakdownSchema),
    query: z.union([
      z.object({ sql: z.string().regex(/^[\w./-]+\.sql$/, 'must name a .sql file') }).strict(),
      z.object({ inline: z.string().min(1) }).strict(),
    ]),
  })
  .strict();

const fileSchema = z
  .object({ version: z.literal(1), views: z.string().min(1), indicators: z.array(definitionSchema).min(1) })
  .strict();

/** One indicator as the catalogue defines it, with its SQL read in. */
export type IndicatorDefinition = Omit<z.infer<typeof definitionSchema>, 'query'> & { readonly sql: string };

/** The loaded catalogue: shared views plus definitions in catalogue order. */
export interface Catalogue {
  /** The shared views as one `with` list (without the `with`). */
  readonly views: string;
  /** The same views one by one, in order; each extraction materialises them once. */
  readonly viewDefinitions: readonly ViewDefinition[];
  readonly indicators: readonly IndicatorDefinition[];
}

/**
 * Reads and validates a catalogue folder (catalogue.json, views and query files).
 *
 * @throws CatalogueError (ERR_INDICATOR_CATALOGUE) naming every problem: schema, duplicate ids,
 *   unreadable files, unknown named parameters, statement separators, views not named `v_...`.
 * @example const catalogue = loadCatalogue(); // the shipped one
 */
export function loadCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): Catalogue {
  const problems: string[] = [];
  const read = (file: string): string => {
    try {
      return readFileSync(path.resolve(dir, file), 'utf8');
    } catch {
      problems.push(`${file}: cannot be read`);
      return '';
    }
  };
  let raw: unknown;
  try {
    raw = JSON.parse(read('catalogue.json'));
  } catch (error) {
    throw new CatalogueError([...problems, `catalogue.json: ${(error as Error).message}`]);
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return parseCatalogue(raw, read);
}

/** Validates a parsed catalogue.json; `read` returns a referenced file's text. @throws CatalogueError */
export function parseCatalogue(raw: unknown, read: (file: string) => string): Catalogue {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CatalogueError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const views = checkSql('views', read(parsed.data.views), problems);
  const viewDefinitions = views === '' ? [] : splitViews(views, problems);
  const indicators = parsed.data.indicators.map(({ query, ...definition }) => {
    if (seen.has(definition.id)) problems.push(`${definition.id}: duplicate id`);
    seen.add(definition.id);
    const text = 'sql' in query ? read(query.sql) : query.inline;
    return { ...definition, sql: checkSql(definition.id, text, problems) };
  });
  if (problems.length > 0) throw new CatalogueError(problems);
  return { views, viewDefinitions, indicators };
}

function checkSql(where: string, text: string, problems: string[]): string {
  const body = text.trim();
  if (body === '') problems.push(`${where}: empty query`);
  for (const name of namedParameters(body)) {
    if (!(TEMPLATE_PARAMETERS as readonly string[]).includes(name)) {
      problems.push(
        `${where}: unknown parameter :${name} (use ${TEMPLATE_PARAMETERS.map((p) => `:${p}`).join(', ')})`,
      );
    }
  }
  // One statement only: the template is wrapped as a subquery in a read-only transaction.
  if (body.replace(/--[^\n]*/g, '').includes(';')) problems.push(`${where}: must be one statement without ;`);
  return body;
}
