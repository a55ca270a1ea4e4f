// /ui/breakglass: every break-glass use (what was released, by whom, why), the 72-hour flag, and the privacy officer's review.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import {
  breakglassReviewSchema,
  type BreakglassService,
  type BreakglassUse,
} from '../../requests/breakglass-service.ts';
import type { CatalogueSource } from '../catalogue-in-force.ts';
import { entryOf, titleOf, type CatalogueText } from '../catalogue-text.ts';
import { alert, badge, fieldProblems } from '../components.ts';
import { csrfField, layout, type Html } from '../layout.ts';
import { pageContext, type PageContext } from '../page-context.ts';
import type { UiEnv, UiPage } from '../ui-env.ts';
import type { ReleasedItem } from './released-items.ts';

const OFFICERS = ['privacy_officer'] as const;

export interface BreakglassPagesDeps {
  readonly breakglass: Pick<BreakglassService, 'list' | 'review'>;
  readonly releasedItems: (requestIds: readonly string[]) => Promise<Map<string, ReleasedItem[]>>;
  /** The catalogue of the revision in force (titles, and which holder kind a category belongs to). */
  readonly catalogue: CatalogueSource;
}

/**
 * Rule 4: an item the AIVD holds (by its holder partner, or by its category's holder kind in the
 * catalogue) is confidential processing, which only an AIVD privacy officer sees; everyone else's
 * list leaves it out, as replay and the log reader do.
 */
function visibleTo(ctx: PageContext, catalogue: CatalogueText, item: ReleasedItem): boolean {
  if (ctx.partner.kind === 'aivd') return true;
  return item.holderKind !== 'aivd' && entryOf(catalogue.categories, item.category)?.holder_kind !== 'aivd';
}

function status(ctx: PageContext, use: BreakglassUse): Html {
  const { t } = ctx;
  if (use.review !== undefined) {
    return html`${t.breakglass.reviewed(
      t.breakglass.verdicts[use.review.verdict] ?? use.review.verdict,
      use.review.by,
      t.common.dateTime(use.review.at),
    )}`;
  }
  if (use.overdue) return badge(t.breakglass.overdue, 'danger');
  return html`${t.breakglass.dueBy(t.common.dateTime(use.reviewDueAt))}`;
}

function released(ctx: PageContext, catalogue: CatalogueText, all: readonly ReleasedItem[]): Html {
  const items = all.filter((i) => visibleTo(ctx, catalogue, i));
  if (items.length === 0) return html`${ctx.t.common.none}`;
  return html`<ul class="utrecht-unordered-list">
    ${items.map(
      (i) =>
        html`<li>
          ${titleOf(catalogue.categories, i.category, ctx.lang)} (${i.holder}):
          ${ctx.t.breakglass.outcomes[i.outcome] ?? i.outcome}
        </li>`,
    )}
  </ul>`;
}

function reviewForm(ctx: PageContext, use: BreakglassUse): Html {
  const { t } = ctx;
  return html`<form method="post" action="/ui/breakglass/${use.requestId}" class="schakel-inline-form">
    ${csrfField(ctx)}
    <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
        ${t.breakglass.reviewLegend}
      </legend>
      ${Object.entries(t.breakglass.verdicts).map(
        ([value, label]) =>
          html`<div class="utrecht-form-field utrecht-form-field--radio schakel-choice">
            <input
              class="utrecht-radio-button utrecht-radio-button--html-input"
              type="radio"
              id="verdict-${use.requestId}-${value}"
              name="verdict"
              value="${value}"
            />
            <label
              class="utrecht-form-label utrecht-form-label--radio"
              for="verdict-${use.requestId}-${value}"
              >${label}</label
            >
          </div>`,
      )}
    </fieldset>
    <div class="utrecht-form-field">
      <label class="utrecht-form-label" for="toelichting-${use.requestId}">${t.breakglass.toelichting}</label>
      <textarea
        class="utrecht-textarea utrecht-textarea--html-textarea"
        id="toelichting-${use.requestId}"
        name="toelichting"
        rows="2"
        maxlength="2000"
      ></textarea>
    </div>
    <button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">
      ${t.breakglass.submit}
    </button>
  </form>`;
}

/**
 * The break-glass review pages for privacy officers, over the break-glass service (the same one
 * behind GET /v1/breakglass and POST /v1/breakglass/{id}/review). Shows pseudonymous users and case
 * ids, never a person. Items the AIVD holds are shown only to an AIVD privacy officer (rule 4).
 *
 * @example uiRoutes({ pages: [breakglassPages({ breakglass, releasedItems: releasedItemsReader(db), catalogue: catalogueInForce(lifecycle) })] })
 */
export function breakglassPages(deps: BreakglassPagesDeps): UiPage {
  async function render(ctx: PageContext, notice?: Html): Promise<Html> {
    const { t } = ctx;
    const uses = await deps.breakglass.list();
    const [items, catalogue] = await Promise.all([
      deps.releasedItems(uses.map((u) => u.requestId)),
      deps.catalogue(),
    ]);
    const body =
      uses.length === 0
        ? html`<p class="utrecht-paragraph">${t.breakglass.empty}</p>`
        : html`<div class="schakel-table-wrap">
            <table class="utrecht-table utrecht-table--html-table">
              <caption class="utrecht-table__caption">
                ${t.breakglass.caption}
              </caption>
              <thead class="utrecht-table__header">
                <tr class="utrecht-table__row">
                  <th scope="col" class="utrecht-table__header-cell">${t.breakglass.at}</th>
                  <th scope="col" class="utrecht-table__header-cell">${t.breakglass.requester}</th>
                  <th scope="col" class="utrecht-table__header-cell">${t.breakglass.justification}</th>
                  <th scope="col" class="utrecht-table__header-cell">${t.breakglass.released}</th>
                  <th scope="col" class="utrecht-table__header-cell">${t.breakglass.status}</th>
                </tr>
              </thead>
              <tbody class="utrecht-table__body">
                ${uses.map(
                  (u) =>
                    html`<tr
                      class="utrecht-table__row${u.overdue ? ' schakel-row--overdue' : ''}"
                      data-request="${u.requestId}"
                    >
                      <td class="utrecht-table__cell">${t.common.dateTime(u.at)}</td>
                      <td class="utrecht-table__cell">
                        ${u.requester} (${u.requesterRole}, ${u.requesterUser})
                      </td>
                      <td class="utrecht-table__cell">${u.justification ?? t.common.none}</td>
                      <td class="utrecht-table__cell">
                        ${released(ctx, catalogue, items.get(u.requestId) ?? [])}
                      </td>
                      <td class="utrecht-table__cell">
                        ${status(ctx, u)} ${u.review === undefined ? reviewForm(ctx, u) : ''}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
    return layout(ctx, {
      title: t.breakglass.title,
      body: html`${notice ?? ''}
        <p class="utrecht-paragraph">${t.breakglass.intro}</p>
        ${body}`,
    });
  }

  return {
    nav: { path: '/ui/breakglass', roles: [...OFFICERS], label: (t) => t.nav.breakglass ?? 'breakglass' },
    mount(ui: Hono<UiEnv>) {
      ui.get('/breakglass', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const notice = c.req.query('saved') === undefined ? undefined : alert('ok', ctx.t.breakglass.saved);
        return c.html(await render(ctx, notice));
      });
      ui.post('/breakglass/:id', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const id = z.uuid().safeParse(c.req.param('id'));
        if (!id.success) throw new NotFoundError('No such break-glass use.');
        const form = await c.req.parseBody();
        const toelichting = typeof form.toelichting === 'string' ? form.toelichting.trim() : '';
        const body = breakglassReviewSchema.safeParse({
          verdict: form.verdict,
          ...(toelichting === '' ? {} : { toelichting }),
        });
        if (!body.success) {
          const problems = fieldProblems(ctx.t.errors.fixFields, [
            { field: ctx.t.breakglass.reviewLegend, message: ctx.t.reviews.problems.required },
          ]);
          return c.html(await render(ctx, problems), 422);
        }
        await deps.breakglass.review(
          { id: ctx.person.id, partnerId: ctx.person.partnerId },
          id.data,
          body.data,
        );
        return c.redirect('/ui/breakglass?saved=1', 303);
      });
    },
  };
}
