// The Rego source editor form: a plain textarea (enhanced to CodeMirror 6 by /ui/assets/rego-editor.js) with opa's errors and failing tests beside it.
import path from 'node:path';
import { html } from 'hono/html';
import type { FieldProblem } from '../../errors.ts';
import type { BuildReport } from '../../policy/lifecycle/index.ts';
import { alert, fieldProblems } from '../components.ts';
import { csrfField, type Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { selectField, submitButton, textareaField, type FormValues } from './form-fields.ts';

/** The script that enhances the textarea (a committed build, see broker/ui/editor/). */
export const EDITOR_SCRIPT = '/ui/assets/rego-editor.js';

/** One message opa gave, placed at a file and line where it said. */
export interface SourceProblem {
  readonly file: string | undefined;
  readonly row: number | undefined;
  readonly text: string;
}

/** Every message of a build: check and compile errors, test errors and failing tests. */
export function sourceProblems(build: BuildReport, t: PageContext['t']): SourceProblem[] {
  const file = (f: string | undefined) => (f === undefined ? undefined : path.basename(f));
  const messages = [...build.check.errors, ...build.build.errors, ...build.test.errors].map((e) => ({
    file: file(e.file),
    row: e.row,
    text: `${e.code === undefined ? '' : `${e.code}: `}${e.message}`,
  }));
  const failures = build.test.failures.map((f) => ({
    file: file(f.file),
    row: f.row,
    text: `${t.policies.failedTest(`${f.package}.${f.name}`)}${f.output === undefined ? '' : `\n${f.output}`}`,
  }));
  return [...messages, ...failures];
}

/** What the editor page shows: the file, its text as entered, and what the last build said. */
export interface RegoFormState {
  readonly file: string;
  readonly values: FormValues;
  readonly problems: readonly FieldProblem[];
  readonly build?: { readonly report: BuildReport; readonly revision: string };
  readonly notice?: Html;
}

function problemList(ctx: PageContext, state: RegoFormState): Html {
  const { t } = ctx;
  if (state.build === undefined) return html``;
  const problems = sourceProblems(state.build.report, t);
  const link = html`<a class="nl-link" href="/ui/policies/${encodeURIComponent(state.build.revision)}"
    >${t.policies.detailTitle(state.build.revision)}</a
  >`;
  return html`<section
    class="schakel-editor__problems"
    id="rego-problems"
    aria-labelledby="rego-problems-heading"
  >
    <h2 class="nl-heading nl-heading--level-3" id="rego-problems-heading">${t.policies.problems}</h2>
    ${alert(
      'error',
      html`<p class="utrecht-paragraph">
        ${state.build.report.ok ? t.policies.testsFailStored : t.policies.storedAs} ${link}
      </p>`,
    )}
    ${
      problems.length === 0
        ? html`<p class="utrecht-paragraph">${t.policies.noProblems}</p>`
        : html`<ol class="utrecht-ordered-list schakel-problem-list">
            ${problems.map(
              (p) =>
                html`<li
                  class="schakel-problem"
                  ${p.file === state.file && p.row !== undefined ? html`data-line="${p.row}"` : ''}
                >
                  ${
                    p.file === undefined
                      ? ''
                      : html`<strong
                          >${p.row === undefined ? p.file : t.policies.line(p.file, p.row)}</strong
                        >`
                  }
                  <pre class="schakel-problem__text">${p.text}</pre>
                </li>`,
            )}
          </ol>`
    }
  </section>`;
}

/**
 * The editor page's body: a GET form to open another file, and the proposal form with the source
 * (as entered, when re-shown) and, beside it, what opa reported. Without JavaScript it is a plain
 * textarea; with it, CodeMirror 6 with Rego highlighting and the reported lines marked.
 */
export function regoForm(ctx: PageContext, files: readonly string[], state: RegoFormState): Html {
  const { t } = ctx;
  const errorLines =
    state.build === undefined
      ? []
      : sourceProblems(state.build.report, t)
          .filter((p) => p.file === state.file && p.row !== undefined)
          .map((p) => p.row!);
  return html`<p class="utrecht-paragraph">${t.policies.regoHint}</p>
    <form method="get" action="/ui/policies/new/rego" class="schakel-choose-form">
      ${selectField({
        id: 'choose-file',
        name: 'file',
        label: t.policies.regoFile,
        options: files.map((f) => [f, f]),
        value: state.file,
      })}
      ${submitButton(t.policies.choose, 'secondary')}
    </form>
    ${state.notice ?? ''}
    ${state.problems.length === 0 ? '' : fieldProblems(t.policies.fixFields, state.problems)}
    <form method="post" action="/ui/policies/new/rego" novalidate>
      ${csrfField(ctx)}
      <input type="hidden" name="file" value="${state.file}" />
      <div class="schakel-editor${state.build === undefined ? '' : ' schakel-editor--with-problems'}">
        <div class="schakel-editor__source">
          ${textareaField({
            id: 'rego-source',
            name: 'source',
            label: t.policies.regoSource(state.file),
            value: state.values.source ?? '',
            rows: 30,
            maxLength: 512 * 1024,
            className: 'schakel-editor__textarea',
            problems: state.problems,
            attributes: html`data-rego-editor spellcheck="false" data-error-lines="${errorLines.join(',')}"
            ${state.build === undefined ? '' : html`aria-describedby="rego-problems-heading"`}`,
          })}
        </div>
        ${problemList(ctx, state)}
      </div>
      ${textareaField({
        id: 'rego-description',
        name: 'description',
        label: t.policies.description,
        value: state.values.description ?? '',
        rows: 2,
        problems: state.problems,
      })}
      ${submitButton(t.policies.submitProposal)}
    </form>
    <script type="module" src="${EDITOR_SCRIPT}"></script>`;
}
