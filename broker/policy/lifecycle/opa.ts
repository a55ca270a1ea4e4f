// Runs the opa CLI for server-side proposal builds, asynchronously so the broker keeps answering meanwhile.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The outcome of one opa run. */
export interface OpaResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs opa with arguments in a directory; the lifecycle service takes this as a dependency. */
export type OpaRunner = (args: readonly string[], cwd: string) => Promise<OpaResult>;

/**
 * Finds the opa binary: the configured path (SCHAKEL_OPA_PATH) if it exists, else `opa` on PATH,
 * ~/go/bin/opa or $GOPATH/bin/opa; undefined when none exists (proposals then answer ERR_OPA_UNAVAILABLE).
 */
export function locateOpa(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (configured !== undefined) return existsSync(configured) ? configured : undefined;
  const candidates = [
    ...(env.PATH ?? '').split(path.delimiter).map((dir) => (dir === '' ? undefined : path.join(dir, 'opa'))),
    path.join(homedir(), 'go', 'bin', 'opa'),
    env.GOPATH === undefined || env.GOPATH === '' ? undefined : path.join(env.GOPATH, 'bin', 'opa'),
  ];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/**
 * A runner for the opa binary at `opa`; each run is limited to `timeoutMs` (default 60 s).
 *
 * @example const run = createOpaRunner('/usr/local/bin/opa'); await run(['version'], '/tmp');
 */
export function createOpaRunner(opa: string, timeoutMs = 60_000): OpaRunner {
  return (args, cwd) =>
    new Promise((resolve) => {
      execFile(
        opa,
        [...args],
        // NOTE: an empty environment: Rego a proposal brings could print opa.runtime().env otherwise.
        { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs, env: {} },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ status: code, stdout, stderr: error !== null && stderr === '' ? error.message : stderr });
        },
      );
    });
}
