// `schakel serve` as a newcomer runs it: embedded defaults, problem+json over TLS, readiness, clean stop, bad config.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';

const exec = promisify(execFile);

describe('schakel serve on embedded defaults', () => {
  const cwd = scratchDir('serve');
  let broker: ServeHandle;

  beforeAll(async () => {
    broker = await startServe({ cwd });
  }, 60_000);
  afterAll(async () => {
    await broker.stop('SIGKILL');
  });

  it('creates ./var with the database and the dev PKI', () => {
    expect(existsSync(path.join(cwd, 'var/db/PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(cwd, 'var/pki/ca.pem'))).toBe(true);
  });

  it('answers /v1/whoami over TLS with problem+json when no certificate is presented', async () => {
    const { stdout } = await exec('curl', [
      '-sS',
      '--cacert',
      path.join(cwd, 'var/pki/ca.pem'),
      '-w',
      '\n%{http_code} %{content_type}',
      `https://localhost:${broker.port}/v1/whoami`,
    ]);
    const [body = '', status = ''] = stdout.split('\n');
    expect(status).toBe('401 application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ status: 401, code: expect.stringMatching(/^ERR_/) });
  });

  it('reports ready on the ops port and exposes Prometheus metrics', async () => {
    const ready = await fetch(`http://127.0.0.1:${broker.opsPort}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true } });
    const metrics = await (await fetch(`http://127.0.0.1:${broker.opsPort}/metrics`)).text();
    expect(metrics).toContain('schakel_http_requests_total');
  });

  it('stops cleanly on SIGTERM and starts again on the same ./var', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    expect(broker.output()).toContain('stopped');
    broker = await startServe({ cwd });
    expect(broker.output()).not.toContain('created a development PKI');
  }, 60_000);
});

describe('schakel serve with bad configuration', () => {
  const cwd = scratchDir('badconfig');

  it('stops with exit 2 naming every bad setting, without a stack trace', async () => {
    const run = await runSchakel(['serve'], {
      cwd,
      env: { SCHAKEL_PORT: 'https', SCHAKEL_TLS_KEY_FILE: '/nope/key.pem', SCHAKEL_LOG_LEVEL: 'chatty' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SCHAKEL_PORT');
    expect(run.stderr).toContain('SCHAKEL_LOG_LEVEL');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with exit 2 when the database cannot be reached', async () => {
    const run = await runSchakel(['serve'], {
      cwd,
      env: { SCHAKEL_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ERR_DATABASE_UNAVAILABLE: cannot connect to PostgreSQL/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('schakel --help', () => {
  it('lists the commands and exits 0', async () => {
    const run = await runSchakel(['--help'], { cwd: scratchDir('help') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('schakel serve');
    expect(run.stdout).toContain('schakel db migrate');
  });

  it('prints help for each command', async () => {
    const run = await runSchakel(['db', 'migrate', '--help'], { cwd: scratchDir('help') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: schakel db migrate');
  });

  it('exits 2 on an unknown command', async () => {
    const run = await runSchakel(['frobnicate'], { cwd: scratchDir('help') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command');
  });
});
