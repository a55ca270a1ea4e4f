// The catalogue change forms (matrix cell, category fields, legal basis): rendering with kept values and problems, and reading a post into a catalogue edit.
import { html } from 'hono/html';
import { z } from 'zod';
import type { FieldProblem } from '../../errors.ts';
import { catalogueEditSchema, type CatalogueEdit } from '../../policy/lifecycle/index.ts';
import { entryOf, titleOf, type CatalogueText } from '../catalogue-text.ts';
import { csrfField, type Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { selectField, submitButton, textField, textareaField, type FormValues } from './form-fields.ts';

/** The three catalogue forms, by the path segment they post to. */
export const CHANGE_FORMS = ['matrix', 'category', 'legal-basis'] as const;
export type ChangeForm = (typeof CHANGE_FORMS)[number];

/** What one form shows: the values to fill in and the problems of the last post, if it was this form. */
export interface FormState {
  readonly values: FormValues;
  readonly problems: readonly FieldProblem[];
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

function description(ctx: PageContext, form: ChangeForm, state: FormState): Html {
  return textareaField({
    id: `${form}-description`,
    name: 'description',
    label: ctx.t.policies.description,
    value: state.values.description ?? '',
    rows: 2,
    problems: state.problems,
  });
}

function section(ctx: PageContext, form: ChangeForm, heading: string, body: Html): Html {
  return html`<section class="schakel-section" aria-labelledby="${form}-heading">
    <h2 class="nl-heading nl-heading--level-2" id="${form}-heading">${heading}</h2>
    <form method="post" action="/ui/policies/new/${form}" novalidate>
      ${csrfField(ctx)} ${body} ${submitButton(ctx.t.policies.submitProposal)}
    </form>
  </section>`;
}

/** Allow or disallow one (requester kind × purpose × category) cell. */
export function matrixForm(ctx: PageContext, catalogue: CatalogueText, state: FormState): Html {
  const { t } = ctx;
  const v = state.values;
  const radio = (value: 'true' | 'false', label: string) =>
    html`<div class="utrecht-form-field utrecht-form-field--radio schakel-choice">
      <input
        class="utrecht-radio-button utrecht-radio-button--html-input"
        type="radio"
        id="matrix-allowed-${value}"
        name="allowed"
        value="${value}"
        ${v.allowed === value ? html`checked` : ''}
      />
      <label class="utrecht-form-label utrecht-form-label--radio" for="matrix-allowed-${value}"
        >${label}</label
      >
    </div>`;
  const allowedProblem = state.problems.find((p) => p.field === 'allowed')?.message;
  return section(
    ctx,
    'matrix',
    t.policies.propose,
    html`<p class="utrecht-paragraph">${t.policies.proposeHint}</p>
      ${selectField({
        id: 'matrix-kind',
        name: 'requesterKind',
        label: t.policies.requester,
        options: Object.keys(catalogue.matrix).map((k) => [k, k]),
        ...(v.requesterKind === undefined ? {} : { value: v.requesterKind }),
        problems: state.problems,
      })}
      ${selectField({
        id: 'matrix-purpose',
        name: 'purpose',
        label: t.policies.purpose,
        options: Object.keys(catalogue.purposes).map((p) => [p, titleOf(catalogue.purposes, p, ctx.lang)]),
        ...(v.purpose === undefined ? {} : { value: v.purpose }),
        problems: state.problems,
      })}
      ${selectField({
        id: 'matrix-category',
        name: 'category',
        label: t.policies.category,
        options: Object.keys(catalogue.categories).map((c) => [
          c,
          `${titleOf(catalogue.categories, c, ctx.lang)} (${c})`,
        ]),
        ...(v.category === undefined ? {} : { value: v.category }),
        problems: state.problems,
      })}
      <fieldset
        class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
        ${allowedProblem === undefined ? '' : html`aria-describedby="matrix-allowed-error"`}
      >
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
          ${t.policies.cellLegend}
        </legend>
        ${
          allowedProblem === undefined
            ? ''
            : html`<div class="utrecht-form-field-error-message" id="matrix-allowed-error">
                ${allowedProblem}
              </div>`
        }
        ${radio('true', t.policies.allowed)} ${radio('false', t.policies.disallowed)}
      </fieldset>
      ${description(ctx, 'matrix', state)}`,
  );
}

/**
 * A category's fields, minimal fields and names. The category is chosen first (a GET form, so it
 * works without JavaScript), which fills in its current values.
 */
export function categoryForm(ctx: PageContext, catalogue: CatalogueText, state: FormState): Html {
  const { t } = ctx;
  const v = state.values;
  const code = v.category ?? Object.keys(catalogue.categories)[0] ?? '';
  return html`<form method="get" action="/ui/policies/new#category-heading" class="schakel-choose-form">
      ${selectField({
        id: 'choose-category',
        name: 'category',
        label: t.policies.chooseCategory,
        options: Object.keys(catalogue.categories).map((c) => [
          c,
          `${titleOf(catalogue.categories, c, ctx.lang)} (${c})`,
        ]),
        value: code,
      })}
      ${submitButton(t.policies.choose, 'secondary')}
    </form>
    ${section(
      ctx,
      'category',
      `${t.policies.changeCategory}: ${code}`,
      html`<input type="hidden" name="category" value="${code}" /> ${textareaField({
          id: 'category-fields',
          name: 'fields',
          label: t.policies.fields,
          hint: t.policies.fieldsHint,
          value: v.fields ?? '',
          rows: 6,
          maxLength: 10_000,
          problems: state.problems,
        })}
        ${textareaField({
          id: 'category-minimal',
          name: 'minimalFields',
          label: t.policies.minimalFields,
          hint: t.policies.minimalHint,
          value: v.minimalFields ?? '',
          rows: 3,
          maxLength: 10_000,
          problems: state.problems,
        })}
        ${textField({
          id: 'category-title-nl',
          name: 'titleNl',
          label: t.policies.titleNl,
          value: v.titleNl ?? '',
          problems: state.problems,
        })}
        ${textField({
          id: 'category-title-en',
          name: 'titleEn',
          label: t.policies.titleEn,
          value: v.titleEn ?? '',
          problems: state.problems,
        })}
        ${description(ctx, 'category', state)}`,
    )}`;
}

/** A legal basis's names, citation and note on its use; chosen first like a category. */
export function legalBasisForm(ctx: PageContext, catalogue: CatalogueText, state: FormState): Html {
  const { t } = ctx;
  const v = state.values;
  const code = v.code ?? Object.keys(catalogue.legal_bases)[0] ?? '';
  return html`<form method="get" action="/ui/policies/new#legal-basis-heading" class="schakel-choose-form">
      ${selectField({
        id: 'choose-basis',
        name: 'basis',
        label: t.policies.chooseBasis,
        options: Object.entries(catalogue.legal_bases).map(([c, b]) => [
          c,
          `${ctx.lang === 'en' ? b.title_en : b.title_nl} (${c})`,
        ]),
        value: code,
      })}
      ${submitButton(t.policies.choose, 'secondary')}
    </form>
    ${section(
      ctx,
      'legal-basis',
      `${t.policies.changeLegalBasis}: ${code}`,
      html`<input type="hidden" name="code" value="${code}" /> ${textField({
          id: 'basis-title-nl',
          name: 'titleNl',
          label: t.policies.titleNl,
          value: v.titleNl ?? '',
          problems: state.problems,
        })}
        ${textField({
          id: 'basis-title-en',
          name: 'titleEn',
          label: t.policies.titleEn,
          value: v.titleEn ?? '',
          problems: state.problems,
        })}
        ${textareaField({
          id: 'basis-citation',
          name: 'citation',
          label: t.policies.citation,
          value: v.citation ?? '',
          rows: 3,
          problems: state.problems,
        })}
        ${textareaField({
          id: 'basis-use',
          name: 'use',
          label: t.policies.use,
          value: v.use ?? '',
          rows: 2,
          problems: state.problems,
        })}
        ${description(ctx, 'legal-basis', state)}`,
    )}`;
}

/** The current values of a category, to start its form from. */
export function categoryValues(catalogue: CatalogueText, code: string | undefined): FormValues {
  const c = code === undefined ? undefined : entryOf(catalogue.categories, code);
  if (code === undefined || c === undefined) return {};
  return {
    category: code,
    fields: c.fields.join('\n'),
    minimalFields: c.minimal_fields.join('\n'),
    titleNl: c.title_nl,
    titleEn: c.title_en,
  };
}

/** The current values of a legal basis, to start its form from. */
export function legalBasisValues(catalogue: CatalogueText, code: string | undefined): FormValues {
  const b = code === undefined ? undefined : entryOf(catalogue.legal_bases, code);
  if (code === undefined || b === undefined) return {};
  return { code, titleNl: b.title_nl, titleEn: b.title_en, citation: b.citation, use: b.use ?? '' };
}

const descriptionSchema = z.string().trim().min(1).max(2000);

/**
 * Reads a posted change form into one catalogue edit (validated by the API's own schema) and the
 * proposal's description; or the problems, by form field, to show next to the fields.
 */
export function editFromForm(
  form: ChangeForm,
  values: FormValues,
  required: string,
): { ok: true; edit: CatalogueEdit; description: string } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const desc = descriptionSchema.safeParse(values.description ?? '');
  if (!desc.success) problems.push({ field: 'description', message: required });
  const given = (name: string) => {
    const value = (values[name] ?? '').trim();
    return value === '' ? undefined : value;
  };
  let candidate: Record<string, unknown>;
  if (form === 'matrix') {
    candidate = {
      op: 'matrix',
      requesterKind: given('requesterKind'),
      purpose: given('purpose'),
      category: given('category'),
      allowed: values.allowed === 'true' ? true : values.allowed === 'false' ? false : undefined,
    };
  } else if (form === 'category') {
    candidate = {
      op: 'category',
      category: given('category'),
      fields: lines(values.fields),
      minimalFields: lines(values.minimalFields),
      ...(given('titleNl') === undefined ? {} : { titleNl: given('titleNl') }),
      ...(given('titleEn') === undefined ? {} : { titleEn: given('titleEn') }),
    };
  } else {
    candidate = {
      op: 'legal_basis',
      code: given('code'),
      ...(given('titleNl') === undefined ? {} : { titleNl: given('titleNl') }),
      ...(given('titleEn') === undefined ? {} : { titleEn: given('titleEn') }),
      ...(given('citation') === undefined ? {} : { citation: given('citation') }),
      ...(given('use') === undefined ? {} : { use: given('use') }),
    };
  }
  const edit = catalogueEditSchema.safeParse(candidate);
  if (!edit.success) {
    for (const issue of edit.error.issues) {
      const field = String(issue.path[0] ?? 'description');
      const index = issue.path[1];
      problems.push({
        field,
        message:
          candidate[field] === undefined
            ? required
            : typeof index === 'number'
              ? `${issue.message} (${String((candidate[field] as unknown[])[index])})`
              : issue.message,
      });
    }
  }
  if (problems.length > 0 || !edit.success || !desc.success) return { ok: false, problems };
  return { ok: true, edit: edit.data, description: desc.data };
}

/** Maps the service's problem paths (`edits[0].minimalFields`) back to form field names. */
export function formProblems(problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    field: p.field.replace(/^edits\[\d+\]\.?/, '') || 'description',
    message: p.message,
  }));
}
