// The form for uploading a signed bundle built elsewhere (multipart); the lifecycle service verifies the signature.
import { html } from 'hono/html';
import { csrfField, type Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { submitButton, textareaField, type FormValues } from './form-fields.ts';
import type { FieldProblem } from '../../errors.ts';

/** The largest bundle the form takes; the body limit of the server applies as well. */
export const MAX_BUNDLE_BYTES = 768 * 1024;

/** The upload form; `notice` shows a refusal (bad signature, unknown key) above it. */
export function uploadForm(
  ctx: PageContext,
  state: { values: FormValues; problems: readonly FieldProblem[]; notice?: Html },
): Html {
  const { t } = ctx;
  const fileProblem = state.problems.find((p) => p.field === 'bundle')?.message;
  return html`<p class="utrecht-paragraph">${t.policies.uploadHint}</p>
    ${state.notice ?? ''}
    <form method="post" action="/ui/policies/new/bundle" enctype="multipart/form-data" novalidate>
      ${csrfField(ctx)}
      <div class="utrecht-form-field${fileProblem === undefined ? '' : ' utrecht-form-field--invalid'}">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="bundle-file">${t.policies.bundleFile}</label>
        </div>
        ${
          fileProblem === undefined
            ? ''
            : html`<div class="utrecht-form-field-error-message" id="bundle-file-error">${fileProblem}</div>`
        }
        <div class="utrecht-form-field__input">
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            type="file"
            id="bundle-file"
            name="bundle"
            accept=".tar.gz,.tgz,application/gzip"
            ${fileProblem === undefined ? '' : html`aria-invalid="true" aria-describedby="bundle-file-error"`}
          />
        </div>
      </div>
      ${textareaField({
        id: 'bundle-description',
        name: 'description',
        label: t.policies.description,
        value: state.values.description ?? '',
        rows: 2,
        problems: state.problems,
      })}
      ${submitButton(t.policies.upload)}
    </form>`;
}
