// The lifecycle commands as an operator runs them: activate only with approvals, rollback, replay a bundle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../broker/store/database.ts';
import { scratchDir } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { runSchakel } from '../support/processes.ts';
import {
  OFFICERS,
  createLifecycleFixture,
  matrixProposal,
  scenarioInput,
  type LifecycleFixture,
} from './lifecycle-fixture.ts';
import { INSTALL_OPA, findOpa, opaRequired } from './support.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the lifecycle CLI tests need opa: ${INSTALL_OPA}`);

describe.skipIf(!haveOpa)('schakel policy activate, rollback and replay', () => {
  const cwd = scratchDir('policy-cli');
  const env = { SCHAKEL_DATA_DIR: path.join(cwd, 'var'), SCHAKEL_LOG_LEVEL: 'silent' };
  const keyFile = path.join(cwd, 'var', 'keys', 'policy-signing.pem');
  let revision: string;
  let baseline: string;

  /** Works on the embedded database in process, then closes it so the command can open it. */
  async function withStore<T>(work: (f: LifecycleFixture, store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ kind: 'pglite', dir: path.join(cwd, 'var', 'db') });
    try {
      return await work(await createLifecycleFixture(store, { keyFile }), store);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    expect((await runSchakel(['db', 'migrate'], { cwd, env })).code).toBe(0);
    await withStore(async (f, store) => {
      await insertTestPartners(store.db);
      baseline = f.policy.revision()!;
      f.decide(scenarioInput('ntk: politie gets om criminal cases (wjsg_39f)'));
      await f.recorder.flush();
      const proposed = await f.lifecycle.propose(
        OFFICERS.politieA,
        matrixProposal('politie', 'risicotaxatie', 'om.strafzaken', false) as never,
      );
      revision = proposed.revision;
    });
  }, 60_000);

  it('replays a bundle file against the retained inputs', async () => {
    const bundle = path.join(cwd, 'proposal.tar.gz');
    await withStore(async (f, store) => {
      const row = await store.db
        .selectFrom('policy_revisions')
        .select('bundle')
        .where('revision', '=', revision)
        .executeTakeFirstOrThrow();
      writeFileSync(bundle, Buffer.from(row.bundle!, 'base64'));
      expect(f.policy.revision()).toBe(baseline);
    });
    const run = await runSchakel(['policy', 'replay', '--bundle', bundle], { cwd, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replayed 1 retained decisions');
    expect(run.stdout).toMatch(/permit\s+-> deny\s+1/);
    expect(run.stdout).toContain('om.strafzaken');
    const json = await runSchakel(['policy', 'replay', '--bundle', bundle, '--format', 'json'], { cwd, env });
    expect(JSON.parse(json.stdout)).toMatchObject({
      changed: 1,
      decisions: [{ from: 'permit', to: 'deny' }],
    });
  }, 60_000);

  it('exits 1 on activate without approvals, and 0 once a second officer approved', async () => {
    const refused = await runSchakel(['policy', 'activate', revision], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_POLICY_NOT_APPROVED');
    await withStore(async (f) => {
      await f.lifecycle.approve(OFFICERS.omB, revision, { acknowledgeFailingTests: true });
    });
    const activated = await runSchakel(['policy', 'activate', revision], { cwd, env });
    expect(activated.code).toBe(0);
    expect(activated.stdout).toContain(`revision ${revision} is active`);
    await withStore(async (f) => {
      expect((await f.lifecycle.list()).active?.revision).toBe(revision);
    });
  }, 60_000);

  it('rolls back only to an earlier revision, and only with fresh approvals', async () => {
    const unknown = await runSchakel(['policy', 'rollback', 'f'.repeat(64)], { cwd, env });
    expect(unknown.code).toBe(1);
    const refused = await runSchakel(['policy', 'rollback', baseline], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_POLICY_NOT_APPROVED');
    await withStore(async (f) => {
      await f.lifecycle.approve(OFFICERS.omB, baseline);
    });
    // A rollback has no author to count: one approval is not four eyes.
    const alone = await runSchakel(['policy', 'rollback', baseline], { cwd, env });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('two privacy officers');
    await withStore(async (f) => {
      await f.lifecycle.approve(OFFICERS.politieA, baseline);
    });
    const back = await runSchakel(['policy', 'rollback', baseline], { cwd, env });
    expect(back.code).toBe(0);
    const usage = await runSchakel(['policy', 'activate'], { cwd, env });
    expect(usage.code).toBe(2);
  }, 60_000);
});
