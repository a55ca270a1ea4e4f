// The README's demo story, run as written (extracted between its markers) with curl and jq against a fresh `schakel serve`.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { PROJECT_ROOT, runSchakel, startServe, type ServeHandle } from '../support/processes.ts';

/** The shell block between `<!-- demo-story:start -->` and `<!-- demo-story:end -->` in README.md. */
function readmeStory(readme: string): string {
  const block = /<!-- demo-story:start -->\s*```sh\n([\s\S]*?)```\s*<!-- demo-story:end -->/.exec(readme);
  if (block === null) throw new Error('README.md has no demo-story block between its markers');
  return block[1]!;
}

function bash(script: string, options: { cwd: string; env: Record<string, string> }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // --norc: bash reads bashrc when its input is a socket, as a spawned child's is.
    const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the README demo story', () => {
  const cwd = scratchDir('readme-story');
  let broker: ServeHandle;

  beforeAll(async () => {
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' }, timeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await broker?.stop('SIGTERM');
  });

  it('runs command by command as written and tells the whole story', async () => {
    const story = readmeStory(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'));
    // `npx schakel` as in a checkout: this checkout's CLI on the Node running the tests.
    const bin = path.join(cwd, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = schakel ] || exit 127\nshift\nexec "${process.execPath}" "${path.join(PROJECT_ROOT, 'bin/schakel.js')}" "$@"\n`,
    );
    chmodSync(path.join(bin, 'npx'), 0o755);
    const run = await bash(story, {
      cwd,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '/tmp',
        BROKER: `https://localhost:${broker.port}`,
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [whoami, team1, team2, inclusion, ...rest] = lines;
    expect(whoami).toEqual({ partner: 'demo-politie', user: { id: 'u-1', role: 'casusregisseur' } });
    expect(team1).toEqual(['demo-politie', 'demo-ggz']);
    expect(team2).toEqual(['demo-politie', 'demo-ggz', 'demo-om']);
    expect(inclusion).toEqual({ type: 'inclusiebesluit', phase: 'informatie' });
    const asked = rest.slice(0, 3);
    expect(asked).toEqual([
      { category: 'politie.registraties', outcome: 'disclosed', legalBasis: 'wpg_15' },
      { category: 'ggz.bekend', outcome: 'pending_review', legalBasis: null },
      { category: 'om.strafzaken', outcome: 'disclosed', legalBasis: 'wjsg_39f' },
    ]);
    expect(rest[3]).toMatchObject({ status: 'released' });
    const result = rest.slice(4, 7);
    expect(result).toEqual([
      { category: 'politie.registraties', outcome: 'disclosed', data: null },
      { category: 'ggz.bekend', outcome: 'disclosed', data: { inZorg: true } },
      { category: 'om.strafzaken', outcome: 'disclosed', data: null },
    ]);
    expect(rest[7]).toMatchObject({ covers: ['ggz.bekend'] });
    // The seeded consent of the GGZ (demo data of `schakel serve`) lets the compulsory-care measure through.
    expect(rest[8]).toEqual({
      category: 'ggz.zorgmaatregel',
      outcome: 'disclosed',
      legalBasis: 'bg_toestemming',
      data: { soort: 'zorgmachtiging', van: '2026-06-01', tot: '2026-12-01' },
    });
    expect(rest).toHaveLength(9);
  }, 120_000);

  it('leaves a log that verifies', async () => {
    await broker.stop('SIGTERM');
    const verify = await runSchakel(['audit', 'verify'], { cwd, env: { SCHAKEL_LOG_LEVEL: 'silent' } });
    expect(verify.code).toBe(0);
  }, 60_000);
});
