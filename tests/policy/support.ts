// Shared helpers for the policy tests: repository paths, the committed bundle, and finding opa.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_OPA, findOpa as findOpaIn } from '../../broker/cli/opa.ts';

export { INSTALL_OPA };
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const POLICIES = path.join(REPO, 'policies');
export const COMMITTED_BUNDLE = path.join(POLICIES, 'bundle', 'bundle.tgz');

export const committedBundle = (): Buffer => readFileSync(COMMITTED_BUNDLE);

/** The opa binary, or undefined when it is not installed. */
export const findOpa = (): string | undefined => findOpaIn(process.env);

/** Whether tests that need opa must fail (CI) rather than skip when it is missing. */
export const opaRequired = (): boolean => process.env.CI !== undefined && process.env.CI !== '';

/** Runs opa and returns stdout. @throws when opa exits non-zero. */
export function runOpa(opa: string, args: readonly string[], cwd = POLICIES): string {
  return execFileSync(opa, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
