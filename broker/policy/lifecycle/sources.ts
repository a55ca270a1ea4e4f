// A revision's sources (non-test Rego and the catalogue), read from a folder or a bundle, and written to a workspace.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyBundle } from '../bundle.ts';

/** What a revision is made of: the catalogue and the non-test Rego files by name. */
export interface PolicySources {
  readonly catalogue: Readonly<Record<string, unknown>>;
  readonly rego: Readonly<Record<string, string>>;
}

/** A Rego file name a proposal may write: top level, snake_case, `.rego`. */
export const REGO_FILE = /^[a-z][a-z0-9_]*\.rego$/;

const isPolicyFile = (name: string) => REGO_FILE.test(name) && !name.endsWith('_test.rego');

/** Reads the sources of a policies folder (like the checkout's `policies/`). */
export function sourcesOfDir(dir: string): PolicySources {
  const rego = Object.fromEntries(
    readdirSync(dir)
      .filter(isPolicyFile)
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
  );
  const catalogue = JSON.parse(readFileSync(path.join(dir, 'catalogue', 'data.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return { catalogue, rego };
}

/** Reads the sources a bundle carries (opa build keeps the Rego files and the data). */
export function sourcesOfBundle(bundle: PolicyBundle): PolicySources {
  const rego = Object.fromEntries(
    bundle.files
      .filter((f) => isPolicyFile(f.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((f) => [f.name, f.content.toString('utf8')]),
  );
  const catalogue = (bundle.data.catalogue ?? {}) as Record<string, unknown>;
  return { catalogue, rego };
}

/** A scratch copy of a policies folder to build a proposal in; `dispose` removes it. */
export interface Workspace {
  /** The policies folder (Rego, tests, schema, catalogue) to run opa in. */
  readonly dir: string;
  /** Where the built bundle goes (outside `dir`, so no opa command loads it). */
  readonly out: string;
  dispose(): void;
}

/**
 * Copies `policiesDir` (its tests, schema and scenario table; not its built bundle) to a temporary
 * folder and writes `sources` over it: the catalogue, the policy files (removing ones not in
 * `sources`), and `tests` (test files to add or replace).
 */
export function createWorkspace(
  policiesDir: string,
  sources: PolicySources,
  tests: Readonly<Record<string, string>> = {},
): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), 'schakel-proposal-'));
  const dir = path.join(root, 'policies');
  cpSync(policiesDir, dir, {
    recursive: true,
    filter: (src) => path.relative(policiesDir, src).split(path.sep)[0] !== 'bundle',
  });
  for (const name of readdirSync(dir).filter(isPolicyFile)) {
    if (sources.rego[name] === undefined) rmSync(path.join(dir, name));
  }
  for (const [name, content] of Object.entries({ ...sources.rego, ...tests })) {
    writeFileSync(path.join(dir, name), content);
  }
  writeFileSync(path.join(dir, 'catalogue', 'data.json'), `${JSON.stringify(sources.catalogue, null, 2)}\n`);
  return {
    dir,
    out: path.join(root, 'bundle.tar.gz'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
