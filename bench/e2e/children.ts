// Child processes for the benchmark's servers: started, waited for, measured by pid, stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';

export interface Child {
  readonly pid: number;
  /** The port the child printed (for node servers started on port 0), or 0. */
  readonly port: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Starts a node script that prints its listening port as its first line of output. */
export function startNodeServer(script: string, args: readonly string[], logFile: string): Promise<Child> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', log] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        resolve({ pid: child.pid!, port: Number(line), stop: stopper(child) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}; see ${logFile}`)));
  });
}

/** Starts a server binary and resolves once `ready()` says it answers. */
export async function startBinary(
  command: string,
  args: readonly string[],
  logFile: string,
  ready: () => Promise<boolean>,
): Promise<Child> {
  const log = openSync(logFile, 'a');
  const child = spawn(command, [...args], { stdio: ['ignore', log, log] });
  const stop = stopper(child);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await ready().catch(() => false)) return { pid: child.pid!, port: 0, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`${command} did not become ready; see ${logFile}`);
}
