// The catalogue's shared views: split into named definitions, materialised as temporary tables once per extraction.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { IndicatorQueryError } from './errors.ts';

/** One shared view of the catalogue: its name and its text as a CTE (`name as (...)`). */
export interface ViewDefinition {
  readonly name: string;
  readonly cte: string;
}

/** View names start with `v_`, so a view can never stand in for a table of the store. */
const VIEW_NAME = /^v_[a-z0-9_]+$/;
const CTE_HEAD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^)]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(/i;

/**
 * Splits the views text (CTEs separated by commas, as a `with` clause without the `with`) into its
 * definitions, in order; comments, string literals and quoted identifiers are skipped while looking
 * for the separating commas. Problems (an unnamed part, a name without `v_`, a repeated name) are
 * appended to `problems`.
 */
export function splitViews(text: string, problems: string[]): ViewDefinition[] {
  const parts: { raw: string; code: string }[] = [];
  let raw = '';
  let code = '';
  let depth = 0;
  let i = 0;
  const take = (n: number, asCode: boolean) => {
    const piece = text.slice(i, i + n);
    raw += piece;
    code += asCode ? piece : piece.replace(/[^\n]/g, ' ');
    i += n;
  };
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i]!;
    if (rest.startsWith('--')) {
      const end = text.indexOf('\n', i);
      take(end === -1 ? text.length - i : end - i, false);
    } else if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', i + 2);
      take(end === -1 ? text.length - i : end + 2 - i, false);
    } else if (ch === "'" || ch === '"') {
      let end = i + 1;
      for (;;) {
        end = text.indexOf(ch, end);
        if (end === -1 || text[end + 1] !== ch) break;
        end += 2;
      }
      take(end === -1 ? text.length - i : end + 1 - i, true);
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(rest)) {
      const tag = /^\$[A-Za-z_]*\$/.exec(rest)![0];
      const end = text.indexOf(tag, i + tag.length);
      take(end === -1 ? text.length - i : end + tag.length - i, true);
    } else if (ch === ',' && depth === 0) {
      parts.push({ raw, code });
      raw = '';
      code = '';
      i += 1;
    } else {
      if (ch === '(') depth += 1;
      if (ch === ')') depth -= 1;
      take(1, true);
    }
  }
  parts.push({ raw, code });
  const seen = new Set<string>();
  const views: ViewDefinition[] = [];
  for (const [n, part] of parts.entries()) {
    const head = CTE_HEAD.exec(part.code);
    if (head === null) {
      problems.push(`views: part ${n + 1} is not "name as (select ...)"`);
      continue;
    }
    const name = head[1]!.toLowerCase();
    if (!VIEW_NAME.test(name)) problems.push(`views: ${name}: a view's name must start with v_`);
    if (seen.has(name)) problems.push(`views: ${name}: defined twice`);
    seen.add(name);
    views.push({ name, cte: part.raw.trim() });
  }
  return views;
}

/**
 * Creates one empty temporary table per view, dropped at commit (or rollback). Runs before the
 * transaction turns read-only, the one moment DDL is allowed: `with no data` plans the view's query
 * but does not run it, so nothing of the (editable) catalogue executes with write access.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) naming the view that failed.
 */
export async function createViewTables(trx: Kysely<Database>, views: readonly ViewDefinition[]) {
  for (const view of views) {
    await run(
      trx,
      view,
      `create temporary table ${view.name} on commit drop as with ${view.cte}\nselect * from ${view.name} with no data`,
    );
  }
}

/**
 * Fills the temporary tables of `createViewTables` in catalogue order (a view reads the tables of the
 * views before it) and analyzes each, so indicator queries read every view once per extraction and
 * are planned on its real size. Allowed in a read-only transaction: the tables are temporary.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) naming the view that failed.
 */
export async function fillViewTables(trx: Kysely<Database>, views: readonly ViewDefinition[]) {
  // A small sample is enough for join and filter estimates; the default one costs more than the
  // fill on a wide view (ANALYZE of v_items took 0.5 s of CPU at 100, 20 ms at 10). Without any
  // statistics the planner misplans (I16 took 15 s).
  await sql`set local default_statistics_target = 10`.execute(trx);
  for (const view of views) {
    await run(trx, view, `insert into ${view.name} with ${view.cte}\nselect * from ${view.name}`);
    await run(trx, view, `analyze ${view.name}`);
  }
}

async function run(trx: Kysely<Database>, view: ViewDefinition, statement: string) {
  try {
    await sql.raw(statement).execute(trx);
  } catch (error) {
    throw new IndicatorQueryError(`${view.name}: the view failed`, { cause: error });
  }
}
