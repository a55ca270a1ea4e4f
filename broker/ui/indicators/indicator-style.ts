// The evaluator page's own stylesheet (layout of chart, definition and table), served under /ui like the others.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import type { UiEnv } from '../ui-env.ts';

/** Where the page links its stylesheet (a `<link>` in the body: the layout's head is shared). */
export const INDICATOR_STYLESHEET = '/ui/indicators/indicators.css';

/** Mounts GET /ui/indicators/indicators.css; the file is read once, at start-up. */
export function mountIndicatorStylesheet(ui: Hono<UiEnv>): void {
  const body = readFileSync(path.join(import.meta.dirname, 'indicators.css'), 'utf8');
  ui.get('/indicators/indicators.css', (c) =>
    c.body(body, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' }),
  );
}
