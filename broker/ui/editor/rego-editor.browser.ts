// In the browser: turns each `<textarea data-rego-editor>` into a CodeMirror 6 editor with Rego highlighting (progressive enhancement).
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  StreamLanguage,
  defaultHighlightStyle,
  syntaxHighlighting,
  type StreamParser,
} from '@codemirror/language';
import { EditorState, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
// codemirror-rego is a CodeMirror 5 mode: the build points its `require('codemirror')` at cm5-mode-shim.ts.
import 'codemirror-rego/mode.js';
import { modeFactory } from './cm5-mode-shim.ts';

const rego = StreamLanguage.define({
  ...(modeFactory('rego')({ indentUnit: 4 }, {}) as StreamParser<unknown>),
  name: 'rego',
  languageData: { commentTokens: { line: '#' } },
});

const errorLine = Decoration.line({ class: 'schakel-editor__error-line' });

/** Marks the lines the server reported errors on (`data-error-lines="3,17"`). */
function errorLines(state: EditorState, lines: readonly number[]) {
  const builder = new RangeSetBuilder<Decoration>();
  for (const n of [...new Set(lines)].sort((a, b) => a - b)) {
    if (n >= 1 && n <= state.doc.lines)
      builder.add(state.doc.line(n).from, state.doc.line(n).from, errorLine);
  }
  return builder.finish();
}

/**
 * Replaces the textarea by an editor, keeping the textarea in the form (hidden) and in step with the
 * editor, so the form posts the same field with or without JavaScript. The editor takes the
 * textarea's label and description; Tab is left to move focus (no keyboard trap).
 */
function enhance(textarea: HTMLTextAreaElement): void {
  const label = textarea.labels?.[0];
  if (label !== undefined && label.id === '') label.id = `${textarea.id}-label`;
  const lines = (textarea.dataset.errorLines ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const state = EditorState.create({
    doc: textarea.value,
    extensions: [
      lineNumbers(),
      highlightActiveLine(),
      history(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      rego,
      syntaxHighlighting(defaultHighlightStyle),
      EditorView.decorations.of((view) => errorLines(view.state, lines)),
      EditorView.contentAttributes.of({
        ...(label === undefined ? { 'aria-label': 'Rego' } : { 'aria-labelledby': label.id }),
        ...(textarea.getAttribute('aria-describedby') === null
          ? {}
          : { 'aria-describedby': textarea.getAttribute('aria-describedby')! }),
        spellcheck: 'false',
      }),
      EditorView.updateListener.of((update) => {
        // Chrome types a space at the end of a line as U+00A0 into contenteditable; Rego wants a space.
        if (update.docChanged) textarea.value = update.state.doc.toString().replace(/\u00a0/g, ' ');
      }),
    ],
  });
  const host = document.createElement('div');
  host.className = 'schakel-editor__cm';
  textarea.after(host);
  // Bring the first reported line into view: the editor only draws the lines it shows.
  const first = lines.length === 0 ? undefined : Math.min(...lines);
  new EditorView({
    state,
    parent: host,
    ...(first === undefined || first > state.doc.lines
      ? {}
      : { scrollTo: EditorView.scrollIntoView(state.doc.line(first).from, { y: 'center' }) }),
  });
  textarea.hidden = true;
  if (label !== undefined) label.htmlFor = '';
  host.dataset.enhanced = 'true';
}

document.querySelectorAll<HTMLTextAreaElement>('textarea[data-rego-editor]').forEach(enhance);
