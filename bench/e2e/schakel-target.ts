// Starts `schakel serve` as a child process on PostgreSQL with the demo partners, as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/schakel.js');

export interface RunningSchakel {
  readonly pid: number;
  readonly port: number;
  readonly opsPort: number;
  /** The dev PKI the broker created: ca.pem and partners/<id>/ with cert, key and token key. */
  readonly pkiDir: string;
  stop(): Promise<void>;
}

export interface SchakelOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeFlags?: readonly string[];
  /** SCHAKEL_LOG_LEVEL for the broker (its JSON log goes to dataDir/broker.log). */
  readonly logLevel?: string;
}

async function waitReady(child: ChildProcess, opsPort: number, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`schakel serve did not become ready; see ${logFile}`);
}

/** Starts the broker on free ports and resolves when /readyz answers 200. */
export async function startSchakel(options: SchakelOptions): Promise<RunningSchakel> {
  const port = await freePort();
  const opsPort = await freePort();
  const logFile = path.join(options.dataDir, 'broker.log');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), BIN, 'serve'], {
    cwd: options.dataDir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      SCHAKEL_DATA_DIR: options.dataDir,
      SCHAKEL_DATABASE_URL: options.databaseUrl,
      SCHAKEL_DEMO: 'true',
      SCHAKEL_PORT: String(port),
      SCHAKEL_OPS_PORT: String(opsPort),
      SCHAKEL_LOG_LEVEL: options.logLevel ?? 'info',
      SCHAKEL_LOG_PRETTY: 'false',
      // The per-partner limits stay in the path but set high: this measures capacity, not the limiter.
      SCHAKEL_RATE_PER_SECOND: '100000',
      SCHAKEL_RATE_BURST: '100000',
      SCHAKEL_RATE_MAX_CONCURRENT: '10000',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitReady(child, opsPort, logFile);
  return {
    pid: child.pid!,
    port,
    opsPort,
    pkiDir: path.join(options.dataDir, 'pki'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
