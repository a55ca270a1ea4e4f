// Errors on the pages become an HTML page in the person's language (the API keeps problem+json).
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SchakelError } from '../errors.ts';
import { alert } from './components.ts';
import type { Messages } from './i18n/messages-nl.ts';
import { layout } from './layout.ts';
import { pageContext } from './page-context.ts';
import type { UiEnv } from './ui-env.ts';

function explain(t: Messages, error: SchakelError): string {
  switch (error.code) {
    case 'ERR_FORBIDDEN':
      return t.errors.forbidden;
    case 'ERR_NOT_FOUND':
      return t.errors.notFound;
    case 'ERR_CONFLICT':
      return t.errors.conflict;
    case 'ERR_CSRF':
      return t.errors.csrf;
    default:
      return error.detail ?? error.title;
  }
}

/**
 * The `/ui` sub-app's error handler: the status of a SchakelError with its stable code and a
 * sentence in the person's language; anything else is logged and shown as a 500 without detail.
 */
export function uiErrorPage(error: Error, c: Context<UiEnv>): Response | Promise<Response> {
  const known = error instanceof SchakelError;
  const log = c.get('log');
  if (known) log?.info({ code: error.code, status: error.status }, 'page refused');
  else log?.error({ err: error }, 'page failed');
  const status = (
    known && error.status >= 400 && error.status < 600 ? error.status : 500
  ) as ContentfulStatusCode;
  const ctx = pageContext(c);
  const t = ctx.t;
  const code = known ? error.code : 'ERR_INTERNAL';
  const message = known ? explain(t, error) : t.errors.internal;
  c.header('x-error-code', code);
  return c.html(
    layout(ctx, {
      title: t.errors.title,
      body: html`${alert('error', html`<p class="utrecht-paragraph">${message}</p>`)}
        <p class="utrecht-paragraph">${t.errors.code}: <code>${code}</code></p>
        <p class="utrecht-paragraph"><a class="nl-link" href="/ui">${t.errors.back}</a></p>`,
    }),
    status,
  );
}
