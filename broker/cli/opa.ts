// Finds and runs the opa CLI for the policy commands (opa is a build tool; the broker never needs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** How to get opa, for messages when it is missing. */
export const INSTALL_OPA =
  'install opa with: CGO_ENABLED=0 go install github.com/open-policy-agent/opa@v1.22.2 (or set OPA=/path/to/opa)';

/** The opa binary: $OPA, then PATH, then ~/go/bin/opa, then $GOPATH/bin/opa; undefined if none. */
export function findOpa(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const candidates = [
    env.OPA,
    ...(env.PATH ?? '').split(path.delimiter).map((dir) => (dir === '' ? undefined : path.join(dir, 'opa'))),
    path.join(homedir(), 'go', 'bin', 'opa'),
    env.GOPATH === undefined || env.GOPATH === '' ? undefined : path.join(env.GOPATH, 'bin', 'opa'),
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

export interface OpaRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs opa with `args` in `cwd` and captures its output. */
export function runOpa(opa: string, args: readonly string[], cwd: string): OpaRun {
  const run = spawnSync(opa, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
}
