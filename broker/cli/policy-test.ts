// `schakel policy test`: opa fmt, opa check --strict, opa test with coverage, and the scenarios through the wasm.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, type Command } from './command.ts';
import { INSTALL_OPA, findOpa, runOpa } from './opa.ts';
import { DEFAULT_BUNDLE_FILE, POLICIES_DIR } from '../policy/paths.ts';
import { UsageError } from '../errors.ts';
import { loadPolicyEngine, type PolicyInput } from '../policy/index.ts';
import { sourceRevision } from '../policy/revision.ts';

interface Scenario {
  readonly name: string;
  readonly input: PolicyInput;
  readonly expect: Readonly<Record<string, unknown>>;
}

/** Runs the scenario table through a bundle; returns the names of the failing scenarios. */
async function wasmScenarios(dir: string, bundleFile: string): Promise<string[]> {
  const engine = await loadPolicyEngine(readFileSync(bundleFile), 'committed');
  const { scenarios } = JSON.parse(readFileSync(path.join(dir, 'scenarios.json'), 'utf8')) as {
    scenarios: Scenario[];
  };
  return scenarios
    .filter((s) => {
      const d = engine.decide(s.input) as unknown as Record<string, unknown> & {
        reasons: { code: string }[];
        review: { urgent: boolean } | null;
      };
      return Object.entries(s.expect).some(([key, want]) => {
        const got =
          key === 'reason_codes'
            ? d.reasons.map((r) => r.code)
            : key === 'urgent'
              ? d.review?.urgent
              : d[key];
        return JSON.stringify(got) !== JSON.stringify(want);
      });
    })
    .map((s) => s.name);
}

export const policyTestCommand: Command = {
  path: ['policy', 'test'],
  summary: 'check, test (with coverage) and replay the scenarios through the wasm bundle',
  help: `Usage: schakel policy test [--threshold 95] [--bundle FILE]

Runs, over policies/:
  opa fmt --list                      (every file formatted)
  opa check --strict --schema schema  (types every rule against the input schema)
  opa test --coverage --threshold N   (default 95)
then the scenario table (policies/scenarios.json) through the wasm bundle the broker loads
(default: the committed policies/bundle/bundle.tgz, which must also match the sources).

Exit 0 when everything passes, 1 when a check fails, 2 when opa is missing.
opa is found as $OPA, on PATH, in ~/go/bin or in $GOPATH/bin; ${INSTALL_OPA}.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { threshold: { type: 'string', default: '95' }, bundle: { type: 'string' } },
      strict: true,
    });
    const threshold = Number(values.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
      throw new UsageError('--threshold must be a number from 0 to 100.');
    }
    const opa = findOpa(process.env);
    if (opa === undefined) {
      console.error(`schakel policy test: opa not found; ${INSTALL_OPA}`);
      return EXIT_USAGE;
    }
    const dir = POLICIES_DIR;
    const failures: string[] = [];
    const step = (name: string, ok: boolean, detail = '') => {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail === '' ? '' : `: ${detail}`}`);
      if (!ok) failures.push(name);
    };

    const fmt = runOpa(opa, ['fmt', '--list', '.'], dir);
    step('opa fmt', fmt.status === 0 && fmt.stdout.trim() === '', fmt.stdout.trim() || fmt.stderr.trim());
    const check = runOpa(opa, ['check', '--strict', '--schema', 'schema', '.'], dir);
    step('opa check --strict', check.status === 0, check.stderr.trim());
    const test = runOpa(
      opa,
      ['test', '--coverage', '--format', 'json', '--threshold', String(threshold), '.'],
      dir,
    );
    let coverage = NaN;
    try {
      coverage = (JSON.parse(test.stdout) as { coverage: number }).coverage;
    } catch {
      // opa prints no JSON report when a test fails; the plain run below names the failures.
    }
    if (test.status !== 0) console.error(runOpa(opa, ['test', '.'], dir).stdout);
    step('opa test', test.status === 0, `coverage ${coverage.toFixed(1)}% (threshold ${threshold}%)`);

    const bundleFile = values.bundle === undefined ? DEFAULT_BUNDLE_FILE : path.resolve(values.bundle);
    const failed = await wasmScenarios(dir, bundleFile);
    step('scenarios through the wasm bundle', failed.length === 0, failed.join('; '));
    if (values.bundle === undefined) {
      const engine = await loadPolicyEngine(readFileSync(bundleFile), 'committed');
      step(
        'committed bundle is current',
        engine.revision === sourceRevision(dir),
        engine.revision === sourceRevision(dir) ? engine.revision.slice(0, 12) : 'run: schakel policy build',
      );
    }
    return failures.length === 0 ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
