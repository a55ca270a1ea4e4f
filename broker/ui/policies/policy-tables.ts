// The catalogue as readable tables: categories with their fields, the requester × purpose × category matrix, legal bases.
import { html } from 'hono/html';
import { titleOf, type CatalogueText } from '../catalogue-text.ts';
import type { Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { ruleWords, type RuleText } from './rego-metadata.ts';

const th = (text: string, scope: 'col' | 'row' = 'col') =>
  html`<th scope="${scope}" class="utrecht-table__header-cell">${text}</th>`;
const td = (content: Html | string) => html`<td class="utrecht-table__cell">${content}</td>`;

function table(caption: string, head: readonly string[], rows: readonly Html[]): Html {
  return html`<div class="schakel-table-wrap">
    <table class="utrecht-table utrecht-table--html-table">
      <caption class="utrecht-table__caption">
        ${caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          ${head.map((h) => th(h))}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows}
      </tbody>
    </table>
  </div>`;
}

/** Each documented rule: title, description, where it lives. */
export function rulesTable(ctx: PageContext, rules: readonly RuleText[]): Html {
  const { t } = ctx;
  return table(
    t.policies.rules,
    [t.policies.rule, t.policies.description, t.policies.file],
    rules.map((r) => {
      const words = ruleWords(r, ctx.lang);
      return html`<tr class="utrecht-table__row">
        ${th(words.title, 'row')}${td(words.description)}${td(html`<code>${r.file}${r.rule === undefined ? '' : `#${r.rule}`}</code>`)}
      </tr>`;
    }),
  );
}

/** Categories with holder, sensitivity, fields and minimal fields. */
export function categoriesTable(ctx: PageContext, catalogue: CatalogueText): Html {
  const { t } = ctx;
  return table(
    t.policies.categories,
    [
      t.policies.category,
      t.policies.holder,
      t.policies.sensitivity,
      t.policies.fields,
      t.policies.minimalFields,
    ],
    Object.entries(catalogue.categories).map(
      ([code, c]) =>
        html`<tr class="utrecht-table__row">
          ${th(`${titleOf(catalogue.categories, code, ctx.lang)} (${code})`, 'row')}${td(c.holder_kind)}${td(c.sensitivity)}
          ${td(c.fields.join(', '))}${td(c.minimal_fields.length === 0 ? t.common.none : c.minimal_fields.join(', '))}
        </tr>`,
    ),
  );
}

/** One row per (requester kind, purpose) with the categories it may ask. */
export function matrixTable(ctx: PageContext, catalogue: CatalogueText): Html {
  const { t } = ctx;
  const rows: Html[] = [];
  for (const [kind, purposes] of Object.entries(catalogue.matrix)) {
    for (const [purpose, categories] of Object.entries(purposes)) {
      rows.push(
        html`<tr class="utrecht-table__row" data-cell="${kind}/${purpose}">
          ${th(kind, 'row')}${td(titleOf(catalogue.purposes, purpose, ctx.lang))}${td(
            html`${categories.map((c) => html`<code>${c}</code> `)}`,
          )}
        </tr>`,
      );
    }
  }
  return table(t.policies.matrix, [t.policies.requester, t.policies.purpose, t.policies.categories], rows);
}

/** Legal bases with their citations. */
export function legalBasesTable(ctx: PageContext, catalogue: CatalogueText): Html {
  const { t } = ctx;
  return table(
    t.policies.legalBases,
    [t.policies.code, t.policies.basis, t.policies.citation],
    Object.entries(catalogue.legal_bases).map(
      ([code, b]) =>
        html`<tr class="utrecht-table__row">
          ${th(code, 'row')}${td(ctx.lang === 'en' ? b.title_en : b.title_nl)}${td(b.citation)}
        </tr>`,
    ),
  );
}
