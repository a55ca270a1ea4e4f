// GET /ui: the start page, listing the pages the signed-in person's role may use.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { layout } from './layout.ts';
import { pageContext } from './page-context.ts';
import type { UiEnv } from './ui-env.ts';

/** Mounts the start page. */
export function mountHome(ui: Hono<UiEnv>): void {
  ui.get('/', (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    return c.html(
      layout(ctx, {
        title: t.home.title,
        body: html`<p class="utrecht-paragraph">${t.home.intro}</p>
          ${
            ctx.nav.length === 0
              ? html`<p class="utrecht-paragraph">${t.home.nothing}</p>`
              : html`<ul class="utrecht-link-list">
                  ${ctx.nav.map(
                    (e) =>
                      html`<li class="utrecht-link-list__item">
                        <a class="nl-link" href="${e.path}">${e.label(t)}</a>
                      </li>`,
                  )}
                </ul>`
          }`,
      }),
    );
  });
}
