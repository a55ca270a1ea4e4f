// Where the built Rego editor asset lives (committed; rebuilt by build-editor.ts).
import path from 'node:path';

/** The committed, built asset that /ui/assets/rego-editor.js serves. */
export const EDITOR_ASSET = path.join(import.meta.dirname, 'dist', 'rego-editor.js');
