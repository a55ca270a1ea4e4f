// Small NL Design System building blocks the pages share: alerts, field errors, status badges.
import { html } from 'hono/html';
import type { FieldProblem } from '../errors.ts';
import type { Html } from './layout.ts';

/** An alert (role=status for ok/info, role=alert for warning/error, so screen readers announce it). */
export function alert(kind: 'ok' | 'info' | 'warning' | 'error', content: Html | string): Html {
  const role = kind === 'warning' || kind === 'error' ? 'alert' : 'status';
  return html`<div class="utrecht-alert utrecht-alert--${kind}" role="${role}">
    <div class="utrecht-alert__content"><div class="utrecht-alert__message">${content}</div></div>
  </div>`;
}

/** A list of field problems under a heading, linking each to its field when it has an id. */
export function fieldProblems(heading: string, problems: readonly FieldProblem[]): Html {
  return alert(
    'error',
    html`<p class="utrecht-paragraph">${heading}</p>
      <ul class="utrecht-unordered-list">
        ${problems.map((p) => html`<li>${p.field}: ${p.message}</li>`)}
      </ul>`,
  );
}

/** A status badge (e.g. "overdue"). */
export function badge(text: string, tone: 'danger' | 'warning' | 'neutral' = 'neutral'): Html {
  return html`<span class="utrecht-badge-status schakel-badge schakel-badge--${tone}">${text}</span>`;
}
