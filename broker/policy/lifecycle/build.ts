// Builds a proposal with the real opa CLI: opa check --strict, opa test, opa build -t wasm; keeps every message.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENTRYPOINT } from '../bundle.ts';
import { loadPolicyEngine } from '../service.ts';
import { sourceRevision } from '../revision.ts';
import type { OpaResult, OpaRunner } from './opa.ts';
import type { Workspace } from './sources.ts';

/** One compile or check error, with where it is when opa says. */
export interface OpaMessage {
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
  readonly row?: number;
  readonly col?: number;
}

/** One failing or erroring Rego test. */
export interface TestFailure {
  readonly name: string;
  readonly package: string;
  readonly file?: string;
  readonly row?: number;
  /** What the test printed (e.g. the scenario that failed), or the error. */
  readonly output?: string;
}

/** What the build of a proposal found; stored with the revision so a page can show it inline. */
export interface BuildReport {
  /** True when a loadable wasm bundle was built (check and compile clean). */
  readonly ok: boolean;
  readonly check: { readonly ok: boolean; readonly errors: readonly OpaMessage[] };
  readonly test: {
    readonly ok: boolean;
    readonly ran: boolean;
    readonly passed: number;
    readonly failed: number;
    readonly failures: readonly TestFailure[];
    readonly errors: readonly OpaMessage[];
  };
  readonly build: { readonly ok: boolean; readonly errors: readonly OpaMessage[] };
  /** For an uploaded bundle: it was built elsewhere and verified against this key id. */
  readonly uploaded?: { readonly signedBy: string | null };
}

function messages(run: OpaResult): OpaMessage[] {
  for (const text of [run.stderr, run.stdout]) {
    const start = text.indexOf('{');
    if (start === -1) continue;
    try {
      const parsed = JSON.parse(text.slice(start)) as {
        errors?: {
          message?: string;
          code?: string;
          location?: { file?: string; row?: number; col?: number };
        }[];
      };
      if (Array.isArray(parsed.errors)) {
        return parsed.errors.map((e) => ({
          message: e.message ?? 'error',
          ...(e.code === undefined ? {} : { code: e.code }),
          ...(e.location?.file === undefined ? {} : { file: e.location.file }),
          ...(e.location?.row === undefined ? {} : { row: e.location.row }),
          ...(e.location?.col === undefined ? {} : { col: e.location.col }),
        }));
      }
    } catch {
      // not JSON: fall through to the plain text below
    }
  }
  const plain = `${run.stderr}\n${run.stdout}`.trim();
  return run.status === 0
    ? []
    : [{ message: plain === '' ? `opa exited with ${run.status}` : plain.slice(0, 4000) }];
}

interface OpaTestResult {
  name: string;
  package: string;
  location?: { file?: string; row?: number };
  fail?: boolean;
  error?: unknown;
  output?: string;
}

function testReport(run: OpaResult): BuildReport['test'] {
  let results: OpaTestResult[] | undefined;
  try {
    const parsed: unknown = JSON.parse(run.stdout);
    if (Array.isArray(parsed)) results = parsed as OpaTestResult[];
  } catch {
    results = undefined;
  }
  if (results === undefined) {
    return { ok: false, ran: false, passed: 0, failed: 0, failures: [], errors: messages(run) };
  }
  const failures = results
    .filter((r) => r.fail === true || r.error !== undefined)
    .map((r) => {
      const printed = r.output === undefined ? '' : Buffer.from(r.output, 'base64').toString('utf8').trim();
      const error = r.error === undefined ? '' : JSON.stringify(r.error);
      const output = [printed, error]
        .filter((s) => s !== '')
        .join('\n')
        .slice(0, 4000);
      return {
        name: r.name,
        package: r.package,
        ...(r.location?.file === undefined ? {} : { file: r.location.file }),
        ...(r.location?.row === undefined ? {} : { row: r.location.row }),
        ...(output === '' ? {} : { output }),
      };
    });
  return {
    ok: failures.length === 0 && run.status === 0,
    ran: true,
    passed: results.length - failures.length,
    failed: failures.length,
    failures,
    errors: [],
  };
}

/**
 * Builtins a proposal may not use, even in its tests: the server runs them. `http.send` and
 * `net.lookup_ip_addr` reach the network from the broker's host; `opa.runtime` reveals its setup.
 * (The wasm the broker evaluates has none of them either.)
 */
const FORBIDDEN_BUILTINS = new Set(['http.send', 'net.lookup_ip_addr', 'opa.runtime']);

/** Writes opa's current capabilities without the forbidden builtins; returns the file. */
async function writeCapabilities(opa: OpaRunner, ws: Workspace): Promise<string> {
  const run = await opa(['capabilities', '--current'], ws.dir);
  const capabilities = JSON.parse(run.stdout) as { builtins: { name: string }[] };
  capabilities.builtins = capabilities.builtins.filter((b) => !FORBIDDEN_BUILTINS.has(b.name));
  const file = path.join(path.dirname(ws.out), 'capabilities.json');
  writeFileSync(file, JSON.stringify(capabilities));
  return file;
}

const IGNORE = ['*_test.rego', 'scenarios.json', 'schema', 'bundle', 'tools'].flatMap((p) => ['--ignore', p]);

/**
 * Checks, tests and builds the workspace as `policies/build.sh` does (same revision formula, same
 * entrypoint), then loads the result once with opa-wasm to be sure the broker can.
 *
 * @returns the report, and the archive when the build succeeded.
 */
export async function buildWorkspace(
  opa: OpaRunner,
  ws: Workspace,
): Promise<{ report: BuildReport; revision: string; archive: Buffer | undefined }> {
  const revision = sourceRevision(ws.dir);
  const caps = ['--capabilities', await writeCapabilities(opa, ws)];
  const checkRun = await opa(
    ['check', '--strict', '--schema', 'schema', ...caps, '--format', 'json', '.'],
    ws.dir,
  );
  const check = { ok: checkRun.status === 0, errors: messages(checkRun) };
  const test = check.ok
    ? testReport(await opa(['test', ...caps, '--format', 'json', '.'], ws.dir))
    : { ok: false, ran: false, passed: 0, failed: 0, failures: [], errors: [] };
  let archive: Buffer | undefined;
  let build: BuildReport['build'] = { ok: false, errors: [] };
  if (check.ok) {
    const run = await opa(
      [
        'build',
        '-t',
        'wasm',
        '-e',
        ENTRYPOINT,
        '--revision',
        revision,
        ...caps,
        ...IGNORE,
        '-o',
        ws.out,
        '.',
      ],
      ws.dir,
    );
    build = { ok: run.status === 0, errors: messages(run) };
    if (build.ok) {
      archive = readFileSync(ws.out);
      try {
        await loadPolicyEngine(archive, 'committed');
      } catch (error) {
        build = { ok: false, errors: [{ message: (error as Error).message }] };
        archive = undefined;
      }
    }
  }
  return { report: { ok: build.ok, check, test, build }, revision, archive };
}
