// Builds the Rego editor asset (CodeMirror 6 with codemirror-rego) with esbuild; `--write` replaces the committed file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EDITOR_ASSET } from './editor-asset.ts';

const BANNER =
  '/* schakel Rego editor for /ui/policies. Built from broker/ui/editor/rego-editor.browser.ts by ' +
  '`npm run build:editor`; do not edit. Contains CodeMirror 6 (MIT, Marijn Haverbeke and others) ' +
  'and codemirror-rego (Apache-2.0, Styra Inc.). */';

/**
 * Bundles the browser entry into one minified ES module. Deterministic for the same sources and
 * package versions, so a test can compare it with the committed asset.
 */
export async function buildEditorAsset(): Promise<string> {
  // esbuild is a devDependency: import it only when building, never when the broker runs.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'rego-editor.browser.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    banner: { js: BANNER },
    // codemirror-rego requires CodeMirror 5 to register its mode; hand it the shim instead.
    alias: { codemirror: path.join(import.meta.dirname, 'cm5-mode-shim.ts') },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The committed asset's text. */
export function committedEditorAsset(): string {
  return readFileSync(EDITOR_ASSET, 'utf8');
}

if (import.meta.main === true || process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--write')) {
    const text = await buildEditorAsset();
    writeFileSync(EDITOR_ASSET, text);
    console.log(`wrote ${path.relative(process.cwd(), EDITOR_ASSET)} (${Buffer.byteLength(text)} bytes)`);
  } else {
    console.error('Usage: node broker/ui/editor/build-editor.ts --write');
    process.exitCode = 2;
  }
}
