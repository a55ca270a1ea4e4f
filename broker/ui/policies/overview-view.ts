// The /ui/policies overview: the active revision, how to propose a change, the history, and the rules and catalogue of the revision in force.
import { html } from 'hono/html';
import type { PolicyOverview } from '../../policy/lifecycle/index.ts';
import type { CatalogueText } from '../catalogue-text.ts';
import type { Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { categoriesTable, legalBasesTable, matrixTable, rulesTable } from './policy-tables.ts';
import type { RuleText } from './rego-metadata.ts';
import { authorText, revisionDescription, statusText } from './revision-view.ts';

/** The links to the ways of proposing a change. */
export function proposeLinks(ctx: PageContext): Html {
  const { t } = ctx;
  const links: [string, string][] = [
    ['/ui/policies/new#matrix-heading', t.policies.propose],
    ['/ui/policies/new#category-heading', t.policies.changeCategory],
    ['/ui/policies/new#legal-basis-heading', t.policies.changeLegalBasis],
    ['/ui/policies/new/rego', t.policies.editRego],
    ['/ui/policies/new/bundle', t.policies.uploadBundle],
  ];
  return html`<section class="schakel-section" aria-labelledby="propose-heading">
    <h2 class="nl-heading nl-heading--level-2" id="propose-heading">${t.policies.proposeTitle}</h2>
    <p class="utrecht-paragraph">${t.policies.proposeIntro}</p>
    <ul class="utrecht-unordered-list">
      ${links.map(([href, label]) => html`<li><a class="nl-link" href="${href}">${label}</a></li>`)}
    </ul>
  </section>`;
}

/** The overview's body, over the catalogue and rules of the active revision. */
export function overviewBody(
  ctx: PageContext,
  overview: PolicyOverview,
  catalogue: CatalogueText,
  rules: readonly RuleText[],
): Html {
  const { t } = ctx;
  const active = overview.active;
  const activeRow = overview.revisions.find((r) => r.revision === active?.revision);
  return html`<p class="utrecht-paragraph">${t.policies.intro}</p>
    <h2 class="nl-heading nl-heading--level-2">${t.policies.active}</h2>
    <p class="utrecht-paragraph" id="active-revision">
      ${
        active === null
          ? t.common.none
          : html`<a class="nl-link" href="/ui/policies/${encodeURIComponent(active.revision)}"
                >${active.revision}</a
              >
              ${activeRow?.kind === 'baseline' ? html`(${t.policies.baselineName})` : ''}
              ${
                active.activatedBy === null || active.activatedAt === null
                  ? ''
                  : t.policies.activatedBy(active.activatedBy, t.common.dateTime(active.activatedAt))
              }`
      }
    </p>
    ${proposeLinks(ctx)}
    <h2 class="nl-heading nl-heading--level-2">${t.policies.history}</h2>
    <div class="schakel-table-wrap">
      <table class="utrecht-table utrecht-table--html-table" id="revision-history">
        <caption class="utrecht-table__caption">
          ${t.policies.history}
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            ${[
              t.policies.revision,
              t.policies.description,
              t.policies.author,
              t.policies.created,
              t.policies.status,
            ].map((h) => html`<th scope="col" class="utrecht-table__header-cell">${h}</th>`)}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${overview.revisions.map(
            (r) =>
              html`<tr class="utrecht-table__row" data-revision="${r.revision}">
                <th scope="row" class="utrecht-table__header-cell">
                  <a class="nl-link" href="/ui/policies/${encodeURIComponent(r.revision)}"
                    >${r.revision.slice(0, 12)}</a
                  >
                </th>
                <td class="utrecht-table__cell">${revisionDescription(ctx, r)}</td>
                <td class="utrecht-table__cell">${authorText(ctx, r)}</td>
                <td class="utrecht-table__cell">${t.common.dateTime(r.createdAt)}</td>
                <td class="utrecht-table__cell">${statusText(ctx, overview, r)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2 class="nl-heading nl-heading--level-2">${t.policies.rules}</h2>
    ${rulesTable(ctx, rules)}
    <h2 class="nl-heading nl-heading--level-2">${t.policies.categories}</h2>
    ${categoriesTable(ctx, catalogue)}
    <h2 class="nl-heading nl-heading--level-2">${t.policies.matrix}</h2>
    ${matrixTable(ctx, catalogue)}
    <h2 class="nl-heading nl-heading--level-2">${t.policies.legalBases}</h2>
    ${legalBasesTable(ctx, catalogue)}`;
}
