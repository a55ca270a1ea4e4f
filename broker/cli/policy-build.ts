// `schakel policy build`: builds the wasm bundle by running policies/build.sh (the one build recipe).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, type Command } from './command.ts';
import { INSTALL_OPA, findOpa } from './opa.ts';
import { DEFAULT_BUNDLE_FILE, POLICIES_DIR } from '../policy/paths.ts';

export const policyBuildCommand: Command = {
  path: ['policy', 'build'],
  summary: 'check, test and build the wasm policy bundle (policies/build.sh)',
  help: `Usage: schakel policy build [--out FILE]

Runs policies/build.sh: opa fmt, opa check --strict, opa test with 95% coverage, then
opa build -t wasm -e schakel/decision/result with a content-hash revision, and the scenario
table through the new bundle. Writes policies/bundle/bundle.tgz unless --out names another file.
The bundle is unsigned; sign a copy with \`schakel policy sign\` before uploading it.

Exit 0 on success, 1 when a check or test fails, 2 when opa is missing (${INSTALL_OPA}).`,
  run(args) {
    const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' } }, strict: true });
    const opa = findOpa(process.env);
    if (opa === undefined) {
      console.error(`schakel policy build: opa not found; ${INSTALL_OPA}`);
      return Promise.resolve(EXIT_USAGE);
    }
    const out = values.out === undefined ? DEFAULT_BUNDLE_FILE : path.resolve(values.out);
    // build.sh runs node tools; put this Node (22) first so it does not pick up an older system node.
    const env = {
      ...process.env,
      OPA: opa,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    };
    const run = spawnSync('bash', [path.join(POLICIES_DIR, 'build.sh'), out], { stdio: 'inherit', env });
    if (run.status === 0) return Promise.resolve(EXIT_OK);
    return Promise.resolve(run.status === 2 ? EXIT_USAGE : EXIT_CHECK_FAILED);
  },
};
