// Mounts the pages for people under /ui: assets, start page, the pages given, HTML errors, CSRF and headers.
import { Hono } from 'hono';
import type { RouteModule } from '../http/app.ts';
import { loadAssets, mountAssets } from './assets.ts';
import { csrfProtection } from './csrf.ts';
import { uiErrorPage } from './error-page.ts';
import { mountHome } from './home-page.ts';
import type { UiEnv, UiPage } from './ui-env.ts';

/** Content Security Policy of the pages: our own origin only, no inline script or style. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export interface UiOptions {
  /** The pages, in navigation order. */
  readonly pages: readonly UiPage[];
}

/**
 * The `/ui` route module. Every page runs behind the identity guard (which admits only personal
 * certificates on `/ui`), checks the person's role itself (see page-context.ts), and every POST
 * passes the CSRF check. Errors render as HTML pages.
 *
 * @example routes: [uiRoutes({ pages: [reviewPages({ reviews, db, catalogue })] })]
 */
export function uiRoutes(options: UiOptions): RouteModule {
  const assets = loadAssets();
  const nav = options.pages.map((p) => p.nav);
  const ui = new Hono<UiEnv>();
  ui.use(async function uiHeaders(c, next) {
    c.set('nav', nav);
    await next();
    c.header('content-security-policy', UI_CSP);
    c.header('x-frame-options', 'DENY');
    c.header('referrer-policy', 'same-origin');
  });
  ui.use(csrfProtection());
  mountAssets(ui, assets);
  mountHome(ui);
  for (const page of options.pages) page.mount(ui);
  ui.onError(uiErrorPage);
  const favicon = assets.get('favicon.ico')!;
  return (app) => {
    app.route('/ui', ui);
    // Browsers ask for /favicon.ico on their own; answer it rather than refuse it (see defaultAudience).
    app.get('/favicon.ico', (c) =>
      c.body(favicon.body, 200, { 'content-type': favicon.type, 'cache-control': 'max-age=86400' }),
    );
  };
}
