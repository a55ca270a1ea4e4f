// The page layout: NL Design System (Rijkshuisstijl community) header, navigation, main landmark, footer.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CSRF_FIELD } from './csrf.ts';
import type { PageContext } from './page-context.ts';

/** Rendered HTML (hono/html escapes every interpolated string). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The stylesheets every page loads, served from node_modules by broker/ui/assets.ts. */
export const STYLESHEETS = ['/ui/assets/tokens.css', '/ui/assets/components.css', '/ui/assets/schakel.css'];

function languageSwitch(ctx: PageContext): Html {
  // The same page with the rest of its query (a chosen period, say) in the other language.
  const href = (lang: 'nl' | 'en') => {
    const query = new URLSearchParams(ctx.query);
    query.set('lang', lang);
    return `?${query.toString()}`;
  };
  const item = (lang: 'nl' | 'en', label: string) =>
    ctx.lang === lang
      ? html`<li class="schakel-lang__item"><span aria-current="true" lang="${lang}">${label}</span></li>`
      : html`<li class="schakel-lang__item">
          <a class="nl-link" href="${href(lang)}" lang="${lang}" hreflang="${lang}">${label}</a>
        </li>`;
  return html`<nav class="schakel-lang" aria-label="${ctx.t.app.languageNav}">
    <ul class="schakel-lang__list">
      ${item('nl', 'Nederlands')} ${item('en', 'English')}
    </ul>
  </nav>`;
}

function mainNav(ctx: PageContext): Html {
  const entries = [
    { path: '/ui', label: ctx.t.app.home },
    ...ctx.nav.map((e) => ({ path: e.path, label: e.label(ctx.t) })),
  ];
  return html`<nav class="rhc-nav-bar schakel-nav" aria-label="${ctx.t.app.mainNav}">
    <div class="rhc-nav-bar__container">
      <ul class="rhc-nav-bar__list">
        ${entries.map((e) => {
          const current = ctx.path === e.path || (e.path !== '/ui' && ctx.path.startsWith(`${e.path}/`));
          return html`<li>
            <a class="rhc-nav-bar__link nl-link" href="${e.path}" ${current ? html`aria-current="page"` : ''}
              >${e.label}</a
            >
          </li>`;
        })}
      </ul>
    </div>
  </nav>`;
}

/**
 * A whole page: `lang` attribute, skip link, header with the signed-in person and the language
 * switch, the role's navigation, `<main id="main">` with the content, and the footer.
 *
 * @example return c.html(layout(ctx, { title: ctx.t.reviews.title, body: html`<p>...</p>` }));
 */
export function layout(ctx: PageContext, page: { title: string; body: Html }): Html {
  const { t, person } = ctx;
  return html`<!doctype html>
    <html lang="${ctx.lang}" class="rhc-theme">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/ui/assets/favicon.ico" />
        <title>${page.title} · ${t.app.name}</title>
        ${STYLESHEETS.map((href) => html`<link rel="stylesheet" href="${href}" />`)}
      </head>
      <body class="utrecht-document schakel-body">
        <a class="nl-skip-link nl-skip-link--visible-on-focus" href="#main">${t.app.skipToContent}</a>
        <header class="utrecht-page-header schakel-header">
          <div class="utrecht-page-header__content schakel-header__content">
            <a class="schakel-brand" href="/ui">
              <span class="schakel-brand__name">${t.app.name}</span>
              <span class="schakel-brand__tagline">${t.app.tagline}</span>
            </a>
            <div class="schakel-header__aside">
              <p class="utrecht-paragraph schakel-whoami">
                ${t.app.signedInAs(person.name, t.roles[person.role] ?? person.role, ctx.partner.organisation)}
              </p>
              ${languageSwitch(ctx)}
            </div>
          </div>
        </header>
        ${mainNav(ctx)}
        <main id="main" class="schakel-main" tabindex="-1">
          <h1 class="nl-heading nl-heading--level-1">${page.title}</h1>
          ${page.body}
        </main>
        <footer class="rhc-page-footer schakel-footer">
          <div class="rhc-page-footer__content">
            <p class="utrecht-paragraph">${t.app.footer}</p>
          </div>
        </footer>
      </body>
    </html>`;
}

/** The hidden CSRF field every POST form must carry. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}" />`;
}
