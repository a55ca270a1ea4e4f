// Serves the pages' stylesheets: the NL Design System packages from node_modules and our own small sheet.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hono } from 'hono';
import { EDITOR_ASSET } from './editor/editor-asset.ts';
import { faviconIco } from './favicon.ts';
import type { UiEnv } from './ui-env.ts';

const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The static files under /ui/assets/, by name; read once at start-up, so a missing package fails early. */
export function loadAssets(): ReadonlyMap<string, { body: string | Uint8Array<ArrayBuffer>; type: string }> {
  const css = 'text/css; charset=utf-8';
  return new Map([
    [
      'tokens.css',
      {
        body: readFileSync(packageFile('@rijkshuisstijl-community/design-tokens', 'dist/index.css'), 'utf8'),
        type: css,
      },
    ],
    [
      'components.css',
      {
        body: readFileSync(packageFile('@rijkshuisstijl-community/components-css', 'dist/index.css'), 'utf8'),
        type: css,
      },
    ],
    ['schakel.css', { body: readFileSync(path.join(import.meta.dirname, 'schakel.css'), 'utf8'), type: css }],
    // The committed build of broker/ui/editor/ (see its README); the policy pages work without it.
    ['rego-editor.js', { body: readFileSync(EDITOR_ASSET, 'utf8'), type: 'text/javascript; charset=utf-8' }],
    ['favicon.ico', { body: faviconIco(), type: 'image/x-icon' }],
  ]);
}

/** Mounts GET /ui/assets/:name for the files of `loadAssets()`; anything else is 404. */
export function mountAssets(ui: Hono<UiEnv>, assets: ReturnType<typeof loadAssets>): void {
  ui.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (asset === undefined) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });
}
