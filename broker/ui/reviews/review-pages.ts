// /ui/reviews: the reviewing professional's queue and the decision forms (consent, conflict of duties, statute, refusal).
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { ReviewService } from '../../requests/review-service.ts';
import type { Database } from '../../store/schema.ts';
import type { CatalogueSource } from '../catalogue-in-force.ts';
import { entryOf, legalBasisOfGround, titleOf, type CatalogueText } from '../catalogue-text.ts';
import { alert, badge, fieldProblems } from '../components.ts';
import { layout, type Html } from '../layout.ts';
import { pageContext, type PageContext } from '../page-context.ts';
import type { UiEnv, UiPage } from '../ui-env.ts';
import { decisionForms } from './decision-forms.ts';
import { reviewDetails, type ReviewDetails } from './review-details.ts';
import { decisionAction, decisionFromForm, describeProblems, describeRefusal } from './review-form.ts';

const REVIEWERS = ['behandelaar', 'analist'] as const;

export interface ReviewPagesDeps {
  readonly reviews: Pick<ReviewService, 'pending' | 'decide'>;
  readonly db: Kysely<Database>;
  /** The catalogue of the revision in force (its minimal fields pre-tick the form). */
  readonly catalogue: CatalogueSource;
}

/** The review service's caller for a signed-in professional: their partner, their person id and role. */
function callerOf(ctx: PageContext) {
  return {
    partner: { id: ctx.partner.id, kind: ctx.partner.kind },
    user: { id: ctx.person.id, role: ctx.person.role },
  };
}

function queueTable(ctx: PageContext, catalogue: CatalogueText, items: readonly ReviewDetails[]): Html {
  const { t } = ctx;
  return html`<div class="schakel-table-wrap">
    <table class="utrecht-table utrecht-table--html-table">
      <caption class="utrecht-table__caption">
        ${t.reviews.caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th scope="col" class="utrecht-table__header-cell">${t.reviews.category}</th>
          <th scope="col" class="utrecht-table__header-cell">${t.reviews.requester}</th>
          <th scope="col" class="utrecht-table__header-cell">${t.reviews.purpose}</th>
          <th scope="col" class="utrecht-table__header-cell">${t.reviews.phase}</th>
          <th scope="col" class="utrecht-table__header-cell">${t.reviews.due}</th>
          <th scope="col" class="utrecht-table__header-cell">
            <span class="rhc-visually-hidden">${t.reviews.open}</span>
          </th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${items.map(
          (r) =>
            html`<tr class="utrecht-table__row">
              <td class="utrecht-table__cell">${titleOf(catalogue.categories, r.category, ctx.lang)}</td>
              <td class="utrecht-table__cell">${r.requesterOrganisation} (${r.requesterRole})</td>
              <td class="utrecht-table__cell">${titleOf(catalogue.purposes, r.purpose, ctx.lang)}</td>
              <td class="utrecht-table__cell">${t.reviews.phases[r.phase] ?? r.phase}</td>
              <td class="utrecht-table__cell">
                ${t.common.dateTime(r.dueAt)} ${r.urgent ? badge(t.reviews.urgent, 'danger') : ''}
              </td>
              <td class="utrecht-table__cell">
                <a class="nl-link" href="/ui/reviews/${r.id}"
                  >${t.reviews.open}<span class="rhc-visually-hidden"
                    >: ${titleOf(catalogue.categories, r.category, ctx.lang)},
                    ${r.requesterOrganisation}</span
                  ></a
                >
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function groundsList(ctx: PageContext, catalogue: CatalogueText, review: ReviewDetails): Html {
  const grounds = entryOf(catalogue.reviewers, ctx.partner.kind)?.grounds ?? [];
  return html`<ul class="utrecht-unordered-list">
      ${grounds.map((g) => {
        const basis = legalBasisOfGround(catalogue, g);
        const entry = basis === undefined ? undefined : entryOf(catalogue.legal_bases, basis);
        return html`<li>
          ${ctx.t.reviews.groundNames[g] ?? g}${
            entry === undefined
              ? ''
              : html`: ${ctx.lang === 'en' ? entry.title_en : entry.title_nl} (${entry.citation})`
          }
        </li>`;
      })}
    </ul>
    <p class="utrecht-paragraph">
      ${review.consentOnFile ? ctx.t.reviews.consentOnFile : ctx.t.reviews.noConsentOnFile}
    </p>`;
}

function summary(ctx: PageContext, catalogue: CatalogueText, r: ReviewDetails): Html {
  const { t } = ctx;
  const row = (key: string, value: Html | string) =>
    html`<div class="utrecht-data-list__item">
      <dt class="utrecht-data-list__item-key">${key}</dt>
      <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">${value}</dd>
    </div>`;
  return html`<dl class="utrecht-data-list utrecht-data-list--rows">
    ${row(t.reviews.requester, `${r.requesterOrganisation} (${r.requesterRole})`)}
    ${row(t.reviews.category, `${titleOf(catalogue.categories, r.category, ctx.lang)} (${r.category})`)}
    ${row(t.reviews.purpose, titleOf(catalogue.purposes, r.purpose, ctx.lang))}
    ${row(t.reviews.justification, r.justification ?? t.common.none)}
    ${row(t.reviews.phase, t.reviews.phases[r.phase] ?? r.phase)}
    ${row(t.reviews.due, html`${t.common.dateTime(r.dueAt)} ${r.urgent ? badge(t.reviews.urgent, 'danger') : ''}`)}
    ${row(t.reviews.grounds, groundsList(ctx, catalogue, r))}
  </dl>`;
}

/**
 * The review pages for a GGZ behandelaar or an AIVD analist. Decisions go through the review
 * service, which logs them before storing, exactly as POST /v1/reviews/{id}/decision does.
 *
 * @example uiRoutes({ pages: [reviewPages({ reviews: flow.services.reviews, db, catalogue: catalogueInForce(lifecycle) })] })
 */
export function reviewPages(deps: ReviewPagesDeps): UiPage {
  async function find(ctx: PageContext, id: string): Promise<ReviewDetails> {
    const parsed = z.uuid().safeParse(id);
    const pending = await deps.reviews.pending(callerOf(ctx));
    const review = parsed.success ? pending.find((r) => r.id === parsed.data) : undefined;
    if (review === undefined) throw new NotFoundError('No such review waiting for you.');
    const [details] = await reviewDetails(deps.db, [review]);
    if (details === undefined) throw new NotFoundError('No such review waiting for you.');
    return details;
  }

  async function detailPage(ctx: PageContext, review: ReviewDetails, problems?: Html) {
    const catalogue = await deps.catalogue();
    const title = ctx.t.reviews.detailTitle(titleOf(catalogue.categories, review.category, ctx.lang));
    return layout(ctx, {
      title,
      body: html`${problems ?? ''} ${summary(ctx, catalogue, review)} ${decisionForms(ctx, catalogue, review)}
        <p class="utrecht-paragraph">
          <a class="nl-link" href="/ui/reviews">${ctx.t.reviews.backToList}</a>
        </p>`,
    });
  }

  return {
    nav: { path: '/ui/reviews', roles: [...REVIEWERS], label: (t) => t.nav.reviews ?? 'reviews' },
    mount(ui: Hono<UiEnv>) {
      ui.get('/reviews', async (c) => {
        const ctx = pageContext(c, REVIEWERS);
        const items = await reviewDetails(deps.db, await deps.reviews.pending(callerOf(ctx)));
        const catalogue = await deps.catalogue();
        const { t } = ctx;
        return c.html(
          layout(ctx, {
            title: t.reviews.title,
            body: html`${c.req.query('decided') === undefined ? '' : alert('ok', t.reviews.decided)}
              <p class="utrecht-paragraph">${t.reviews.intro}</p>
              ${
                items.length === 0
                  ? html`<p class="utrecht-paragraph">${t.reviews.empty}</p>`
                  : queueTable(ctx, catalogue, items)
              }`,
          }),
        );
      });

      ui.get('/reviews/:id', async (c) => {
        const ctx = pageContext(c, REVIEWERS);
        return c.html(await detailPage(ctx, await find(ctx, c.req.param('id'))));
      });

      ui.post('/reviews/:id', async (c) => {
        const ctx = pageContext(c, REVIEWERS);
        const review = await find(ctx, c.req.param('id'));
        const form = await c.req.parseBody({ all: true });
        const action = decisionAction(form);
        if (action === undefined) throw new NotFoundError('No such decision.');
        const decision = decisionFromForm(action, form);
        if (!decision.ok) {
          const problems = fieldProblems(ctx.t.errors.fixFields, describeProblems(ctx.t, decision.problems));
          return c.html(await detailPage(ctx, review, problems), 422);
        }
        try {
          await deps.reviews.decide(callerOf(ctx), review.id, decision.body);
        } catch (error) {
          // A release the rules would not open data on: the review stays open, the form says why.
          if (!(error instanceof ValidationError)) throw error;
          const problems = fieldProblems(ctx.t.errors.fixFields, describeRefusal(ctx.t, error.errors ?? []));
          return c.html(await detailPage(ctx, review, problems), 422);
        }
        return c.redirect('/ui/reviews?decided=1', 303);
      });
    },
  };
}
