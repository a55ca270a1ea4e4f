// `schakel retention purge` as an operator runs it, on a scratch embedded database.
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { runSchakel } from '../support/processes.ts';

describe('schakel retention purge', () => {
  const cwd = scratchDir('retention-cli');
  const env = { SCHAKEL_LOG_LEVEL: 'silent' };

  it('prints what a dry run would delete and exits 0', async () => {
    const run = await runSchakel(['retention', 'purge', '--dry-run'], { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('would delete (dry run, nothing deleted)');
    expect(run.stdout).toMatch(/closed cases\s+0\s+closed over 1826 days ago/);
  }, 60_000);

  it('purges, prints the counts and names the summary entry in the disclosure log', async () => {
    const run = await runSchakel(['retention', 'purge', '--json'], {
      cwd,
      env: { ...env, SCHAKEL_RETENTION_CONSENT_DAYS: '30' },
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      dryRun: boolean;
      logSeq: number;
      periods: { consentDays: number };
    };
    expect(report).toMatchObject({ dryRun: false, periods: { consentDays: 30 } });
    expect(report.logSeq).toBeGreaterThanOrEqual(1);
    const verify = await runSchakel(['audit', 'verify'], { cwd, env });
    expect(verify.code).toBe(0);
  }, 60_000);

  it('refuses an unknown option with exit 2', async () => {
    const run = await runSchakel(['retention', 'purge', '--everything'], { cwd, env });
    expect(run.code).toBe(2);
  }, 60_000);
});
