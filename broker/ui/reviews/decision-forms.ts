// The decision forms of one review: a form per ground the holder's professional may use, and refusal.
import { html } from 'hono/html';
import { entryOf, type CatalogueText } from '../catalogue-text.ts';
import { csrfField, type Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import type { ReviewDetails } from './review-details.ts';
import type { DecisionAction } from './review-form.ts';

function form(
  ctx: PageContext,
  review: ReviewDetails,
  action: DecisionAction,
  title: string,
  body: Html,
): Html {
  const headingId = `form-${action}`;
  return html`<section class="schakel-section" aria-labelledby="${headingId}">
    <h2 class="nl-heading nl-heading--level-2" id="${headingId}">${title}</h2>
    <form method="post" action="/ui/reviews/${review.id}">
      ${csrfField(ctx)}
      <input type="hidden" name="action" value="${action}" />
      ${body}
    </form>
  </section>`;
}

function checkbox(id: string, name: string, value: string, label: Html | string, checked = false): Html {
  return html`<div class="utrecht-form-field utrecht-form-field--checkbox schakel-choice">
    <input
      class="utrecht-checkbox utrecht-checkbox--html-input"
      type="checkbox"
      id="${id}"
      name="${name}"
      value="${value}"
      ${checked ? html`checked` : ''}
    />
    <label class="utrecht-form-label utrecht-form-label--checkbox" for="${id}">${label}</label>
  </div>`;
}

function radio(id: string, name: string, value: string, label: string): Html {
  return html`<div class="utrecht-form-field utrecht-form-field--radio schakel-choice">
    <input
      class="utrecht-radio-button utrecht-radio-button--html-input"
      type="radio"
      id="${id}"
      name="${name}"
      value="${value}"
    />
    <label class="utrecht-form-label utrecht-form-label--radio" for="${id}">${label}</label>
  </div>`;
}

function fieldset(legend: string, content: Html, hint?: string, id?: string): Html {
  return html`<fieldset
    class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
    ${id === undefined ? '' : html`aria-describedby="${id}"`}
  >
    <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
      ${legend}
    </legend>
    ${hint === undefined ? '' : html`<p class="utrecht-form-field-description" id="${id}">${hint}</p>`}
    ${content}
  </fieldset>`;
}

function textArea(id: string, name: string, label: string): Html {
  return html`<div class="utrecht-form-field">
    <label class="utrecht-form-label" for="${id}">${label}</label>
    <textarea
      class="utrecht-textarea utrecht-textarea--html-textarea"
      id="${id}"
      name="${name}"
      rows="3"
      maxlength="2000"
    ></textarea>
  </div>`;
}

function submit(label: string, kind: 'primary' | 'secondary' = 'primary'): Html {
  return html`<p class="utrecht-button-group">
    <button type="submit" class="utrecht-button utrecht-button--${kind}-action utrecht-button--submit">
      ${label}
    </button>
  </p>`;
}

function fieldChoice(
  ctx: PageContext,
  catalogue: CatalogueText,
  review: ReviewDetails,
  action: string,
): Html {
  const category = entryOf(catalogue.categories, review.category);
  if (category === undefined) return html``;
  return fieldset(
    ctx.t.reviews.fieldsLegend,
    html`${category.fields.map((f, i) => {
      const minimal = category.minimal_fields.includes(f);
      return checkbox(
        `${action}-field-${i}`,
        'fields',
        f,
        html`<code>${f}</code> ${minimal ? ctx.t.reviews.minimal : ''}`,
        minimal,
      );
    })}`,
    ctx.t.reviews.fieldsHint,
    `${action}-fields-hint`,
  );
}

/** The forms for this review: GGZ grounds or the AIVD's ambtsbericht (by the holder's catalogue entry), then refusal. */
export function decisionForms(ctx: PageContext, catalogue: CatalogueText, review: ReviewDetails): Html {
  const { t } = ctx;
  const grounds = entryOf(catalogue.reviewers, ctx.partner.kind)?.grounds ?? [];
  const cvp = t.reviews.cvp;
  const forms: Html[] = [];
  if (grounds.includes('toestemming')) {
    forms.push(
      form(
        ctx,
        review,
        'toestemming',
        t.reviews.consent.title,
        html`<p class="utrecht-paragraph">${t.reviews.consent.hint}</p>
          ${textArea('toestemming-toelichting', 'toelichting', t.reviews.toelichting)}
          ${submit(t.reviews.consent.submit)}`,
      ),
    );
  }
  if (grounds.includes('conflict_van_plichten')) {
    forms.push(
      form(
        ctx,
        review,
        'conflict_van_plichten',
        cvp.title,
        html`<p class="utrecht-paragraph">${cvp.hint}</p>
          ${fieldset(
            cvp.toestemmingLegend,
            html`${Object.entries(cvp.toestemming).map(([value, label]) =>
              radio(`cvp-toestemming-${value}`, 'toestemming', value, label),
            )}`,
          )}
          ${fieldset(
            cvp.conditionsLegend,
            html`${(
              ['gewetensnood', 'subsidiariteit', 'schade', 'doelmatigheid', 'proportionaliteit'] as const
            ).map((k) => checkbox(`cvp-${k}`, 'conditions', k, cvp[k]))}`,
          )}
          ${checkbox('cvp-collegaGeraadpleegd', 'conditions', 'collegaGeraadpleegd', cvp.collegaGeraadpleegd)}
          ${fieldChoice(ctx, catalogue, review, 'cvp')}
          ${textArea('cvp-toelichting', 'toelichting', t.reviews.toelichting)} ${submit(cvp.submit)}`,
      ),
    );
  }
  if (grounds.includes('wettelijk_voorschrift')) {
    forms.push(
      form(
        ctx,
        review,
        'wettelijk_voorschrift',
        t.reviews.statute.title,
        html`<div class="utrecht-form-field">
            <label class="utrecht-form-label" for="statute-provision">${t.reviews.statute.provision}</label>
            <p class="utrecht-form-field-description" id="statute-provision-hint">
              ${t.reviews.statute.provisionHint}
            </p>
            <input
              class="utrecht-textbox utrecht-textbox--html-input"
              type="text"
              id="statute-provision"
              name="provision"
              maxlength="200"
              aria-describedby="statute-provision-hint"
            />
          </div>
          ${fieldChoice(ctx, catalogue, review, 'statute')}
          ${textArea('statute-toelichting', 'toelichting', t.reviews.toelichting)}
          ${submit(t.reviews.statute.submit)}`,
      ),
    );
  }
  if (grounds.includes('ambtsbericht')) {
    forms.push(
      form(
        ctx,
        review,
        'ambtsbericht',
        t.reviews.ambtsbericht.title,
        html`${textArea('ambtsbericht-toelichting', 'toelichting', t.reviews.toelichting)}
        ${submit(t.reviews.ambtsbericht.submit)}`,
      ),
    );
  }
  forms.push(
    form(
      ctx,
      review,
      'refuse',
      t.reviews.refuse.title,
      html`<div class="utrecht-form-field">
          <label class="utrecht-form-label" for="refuse-reason">${t.reviews.refuse.reason}</label>
          <select class="utrecht-select utrecht-select--html-select" id="refuse-reason" name="redenCode">
            <option value=""></option>
            ${Object.entries(t.reviews.refuse.reasons).map(([code, label]) => html`<option value="${code}">${label}</option>`)}
          </select>
        </div>
        ${textArea('refuse-toelichting', 'toelichting', t.reviews.toelichting)}
        ${submit(t.reviews.refuse.submit, 'secondary')}`,
    ),
  );
  return html`${forms}`;
}
