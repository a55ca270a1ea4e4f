// Form controls of the policy pages (NL Design System classes): labelled fields that keep what was entered and show their problem inline.
import { html } from 'hono/html';
import type { FieldProblem } from '../../errors.ts';
import { csrfField, type Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';

/** What a form posted (or the current values to start from), by field name. */
export type FormValues = Readonly<Record<string, string>>;

/** The text fields of a posted form as Hono parses it (files and repeated fields left out, values untrimmed). */
export function formValues(form: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) if (typeof value === 'string') out[name] = value;
  return out;
}

interface FieldOptions {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly problems?: readonly FieldProblem[];
}

/** The problem text for a field and the attributes linking it to the control. */
function describe(o: FieldOptions): { message: string | undefined; describedBy: string } {
  const message = o.problems?.find((p) => p.field === o.name)?.message;
  const ids = [o.hint === undefined ? '' : `${o.id}-hint`, message === undefined ? '' : `${o.id}-error`];
  return { message, describedBy: ids.filter((s) => s !== '').join(' ') };
}

function wrap(o: FieldOptions, message: string | undefined, control: Html): Html {
  return html`<div class="utrecht-form-field${message === undefined ? '' : ' utrecht-form-field--invalid'}">
    <div class="utrecht-form-field__label">
      <label class="utrecht-form-label" for="${o.id}">${o.label}</label>
    </div>
    ${
      o.hint === undefined
        ? ''
        : html`<div class="utrecht-form-field-description" id="${o.id}-hint">${o.hint}</div>`
    }
    ${
      message === undefined
        ? ''
        : html`<div class="utrecht-form-field-error-message" id="${o.id}-error">${message}</div>`
    }
    <div class="utrecht-form-field__input">${control}</div>
  </div>`;
}

/** A select with its options; `value` is selected. */
export function selectField(
  o: FieldOptions & { readonly options: readonly (readonly [string, string])[]; readonly value?: string },
): Html {
  const { message, describedBy } = describe(o);
  return wrap(
    o,
    message,
    html`<select
      class="utrecht-select utrecht-select--html-select"
      id="${o.id}"
      name="${o.name}"
      ${describedBy === '' ? '' : html`aria-describedby="${describedBy}"`}
      ${message === undefined ? '' : html`aria-invalid="true"`}
    >
      ${o.options.map(
        ([value, text]) =>
          html`<option value="${value}" ${value === o.value ? html`selected` : ''}>${text}</option>`,
      )}
    </select>`,
  );
}

/** A one-line text box. */
export function textField(o: FieldOptions & { readonly value?: string; readonly maxLength?: number }): Html {
  const { message, describedBy } = describe(o);
  return wrap(
    o,
    message,
    html`<input
      class="utrecht-textbox utrecht-textbox--html-input"
      type="text"
      id="${o.id}"
      name="${o.name}"
      value="${o.value ?? ''}"
      maxlength="${o.maxLength ?? 2000}"
      ${describedBy === '' ? '' : html`aria-describedby="${describedBy}"`}
      ${message === undefined ? '' : html`aria-invalid="true"`}
    />`,
  );
}

/** A multi-line text box; `attributes` adds e.g. the editor marker. */
export function textareaField(
  o: FieldOptions & {
    readonly value?: string;
    readonly rows?: number;
    readonly maxLength?: number;
    readonly attributes?: Html;
    readonly className?: string;
  },
): Html {
  const { message, describedBy } = describe(o);
  return wrap(
    o,
    message,
    html`<textarea
      class="utrecht-textarea utrecht-textarea--html-textarea ${o.className ?? ''}"
      id="${o.id}"
      name="${o.name}"
      rows="${o.rows ?? 3}"
      maxlength="${o.maxLength ?? 2000}"
      ${describedBy === '' ? '' : html`aria-describedby="${describedBy}"`}
      ${message === undefined ? '' : html`aria-invalid="true"`}
      ${o.attributes ?? ''}
    >
${o.value ?? ''}</textarea>`,
  );
}

/** A submit button. */
export function submitButton(label: string, kind: 'primary' | 'secondary' = 'primary'): Html {
  return html`<button
    type="submit"
    class="utrecht-button utrecht-button--${kind}-action utrecht-button--submit"
  >
    ${label}
  </button>`;
}

/** A form with only a button (approve, activate, replay). */
export function actionButton(
  ctx: PageContext,
  action: string,
  label: string,
  kind: 'primary' | 'secondary' = 'primary',
  extra: Html | string = '',
): Html {
  return html`<form method="post" action="${action}" class="schakel-inline-form">
    ${csrfField(ctx)} ${extra} ${submitButton(label, kind)}
  </form>`;
}
