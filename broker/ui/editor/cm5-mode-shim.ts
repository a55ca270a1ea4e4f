// Stands in for CodeMirror 5 when the editor bundle is built: codemirror-rego's mode registers itself here, and CodeMirror 6 runs it.

/** A CodeMirror 5 mode factory, as `CodeMirror.defineMode` receives it. */
export type ModeFactory = (
  editorOptions: { indentUnit: number },
  modeOptions: Record<string, unknown>,
) => unknown;

const modes = new Map<string, ModeFactory>();

/** What codemirror-rego calls on `require('codemirror')`: keeps the factory for `modeFactory`. */
export function defineMode(name: string, factory: ModeFactory): void {
  modes.set(name, factory);
}

/** codemirror-rego also registers a MIME type; CodeMirror 6 has no use for it. */
export function defineMIME(): void {}

/**
 * The factory a CodeMirror 5 mode registered under `name`.
 *
 * @throws Error when no mode of that name was imported before.
 */
export function modeFactory(name: string): ModeFactory {
  const factory = modes.get(name);
  if (factory === undefined) throw new Error(`No CodeMirror 5 mode ${name} was imported.`);
  return factory;
}
