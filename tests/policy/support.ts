// Shared helpers for the policy tests: repository paths, the committed bundle, and finding opa.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const POLICIES = path.join(REPO, 'policies');
export const COMMITTED_BUNDLE = path.join(POLICIES, 'bundle', 'bundle.tgz');

export const committedBundle = (): Buffer => readFileSync(COMMITTED_BUNDLE);

export const INSTALL_OPA =
  'install opa with: CGO_ENABLED=0 go install github.com/open-policy-agent/opa@v1.22.2 (or set OPA=/path/to/opa)';

/** The opa binary: $OPA, then PATH, then ~/go/bin/opa, then $GOPATH/bin/opa; undefined if none. */
export function findOpa(): string | undefined {
  const candidates = [
    process.env.OPA,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'opa')),
    path.join(homedir(), 'go', 'bin', 'opa'),
    process.env.GOPATH === undefined ? undefined : path.join(process.env.GOPATH, 'bin', 'opa'),
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/** Whether tests that need opa must fail (CI) rather than skip when it is missing. */
export const opaRequired = (): boolean => process.env.CI !== undefined && process.env.CI !== '';

export function runOpa(opa: string, args: readonly string[], cwd = POLICIES): string {
  return execFileSync(opa, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
