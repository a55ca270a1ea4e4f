// The policy lifecycle through its routes: proposals built with opa, four eyes, the holder's say, replay, activation, rollback.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundleKeyPair, parseBundlePrivateKey } from '../../broker/policy/bundle-keys.ts';
import { createLogger } from '../../broker/logger.ts';
import {
  createInputRecorder,
  type ReplayResult,
  type RevisionDetail,
} from '../../broker/policy/lifecycle/index.ts';
import { signBundleArchive } from '../../broker/policy/sign.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import {
  OFFICERS,
  asOfficer,
  createLifecycleFixture,
  matrixProposal,
  scenarioInput,
  type LifecycleFixture,
} from './lifecycle-fixture.ts';
import { COMMITTED_BUNDLE, INSTALL_OPA, findOpa, opaRequired } from './support.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the policy lifecycle tests need opa: ${INSTALL_OPA}`);

const OM_PERMIT = 'ntk: politie gets om criminal cases (wjsg_39f)';
const OM_DENY = 'ntk: politie asks om criminal cases for protection';
const GGZ_REVIEW = 'bg: ggz.bekend without consent goes to review, never permit';
const AIVD_PERMIT = 'intel: aivd.signaal is answered to politie';

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe.skipIf(!haveOpa).each(BACKENDS)('the policy lifecycle on %s', (backend) => {
  let store: Store;
  let f: LifecycleFixture;
  let baseline: string;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    f = await createLifecycleFixture(store);
    baseline = f.policy.revision()!;
    for (const name of [OM_PERMIT, OM_DENY, GGZ_REVIEW, AIVD_PERMIT]) f.decide(scenarioInput(name));
    await f.recorder.flush();
  });
  afterAll(async () => {
    await store?.close();
  });

  const as = (o: (typeof OFFICERS)[keyof typeof OFFICERS], method: string, url: string, body?: unknown) =>
    asOfficer(f.app, o, method, url, body);

  it('lists the baseline as the active revision', async () => {
    const res = await as(OFFICERS.politieA, 'GET', '/v1/policies');
    expect(res.status).toBe(200);
    const body = await json<{
      active: { revision: string };
      revisions: { revision: string; status: string }[];
    }>(res);
    expect(body.active.revision).toBe(baseline);
    expect(body.revisions).toContainEqual(expect.objectContaining({ revision: baseline, status: 'active' }));
  });

  it('refuses anyone but a privacy officer with ERR_FORBIDDEN', async () => {
    const res = await asOfficer(f.app, { ...OFFICERS.omB, role: 'evaluator' }, 'GET', '/v1/policies');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_FORBIDDEN');
  });

  let omRevision: string;

  it('builds a catalogue proposal with opa and shows the tests it breaks', async () => {
    const res = await as(
      OFFICERS.politieA,
      'POST',
      '/v1/policies',
      matrixProposal('politie', 'risicotaxatie', 'om.strafzaken', false),
    );
    expect(res.status).toBe(201);
    const body = await json<RevisionDetail>(res);
    omRevision = body.revision;
    expect(body).toMatchObject({
      kind: 'catalogue',
      status: 'built',
      author: 'po-politie-a',
      baseRevision: baseline,
    });
    expect(body.build.ok).toBe(true);
    expect(body.build.check.ok).toBe(true);
    // The scenario table pins this very cell, so opa test reports it, with the scenario it printed.
    expect(body.build.test.ran).toBe(true);
    expect(body.build.test.failed).toBeGreaterThan(0);
    expect(JSON.stringify(body.build.test.failures)).toContain('om criminal cases');
    expect(body.changes.catalogue).toEqual(['matrix']);
    // An OM category is not a reviewing holder's: four eyes suffice.
    expect(body.holderKinds).toEqual([]);
    expect(f.audit.records.at(-1)).toMatchObject({ type: 'policy.proposed', policyRevision: omRevision });
  });

  it('refuses the same proposal twice with ERR_POLICY_REVISION_EXISTS', async () => {
    const res = await as(
      OFFICERS.omB,
      'POST',
      '/v1/policies',
      matrixProposal('politie', 'risicotaxatie', 'om.strafzaken', false),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_REVISION_EXISTS');
  });

  it('refuses approval by the author with ERR_POLICY_SELF_APPROVAL', async () => {
    const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/approve`, {
      acknowledgeFailingTests: true,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_SELF_APPROVAL');
  });

  it('refuses activation without approvals with ERR_POLICY_NOT_APPROVED', async () => {
    const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_NOT_APPROVED');
    expect(f.policy.revision()).toBe(baseline);
  });

  it('asks the approver to acknowledge failing tests with ERR_POLICY_TESTS_FAILED', async () => {
    const res = await as(OFFICERS.omB, 'POST', `/v1/policies/${omRevision}/approve`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_TESTS_FAILED');
  });

  it('replays the proposal: the known permit becomes a deny, and nothing else changes', async () => {
    const res = await as(OFFICERS.omB, 'POST', `/v1/policies/${omRevision}/replay`, {});
    expect(res.status).toBe(200);
    const replay = await json<ReplayResult>(res);
    expect(replay).toMatchObject({ revision: omRevision, against: baseline, total: 3, changed: 1 });
    expect(replay.changes).toEqual([{ from: 'permit', to: 'deny', count: 1 }]);
    expect(replay.byCategory).toContainEqual({ key: 'om.strafzaken', total: 2, changed: 1 });
    expect(replay.byCategory).toContainEqual({ key: 'ggz.bekend', total: 1, changed: 0 });
    expect(replay.byHolder.find((h) => h.key === scenarioInput(OM_PERMIT).holder.partner_id)?.changed).toBe(
      1,
    );
    expect(replay.decisions).toHaveLength(1);
    expect(replay.decisions[0]).toMatchObject({
      category: 'om.strafzaken',
      purpose: 'risicotaxatie',
      from: 'permit',
      to: 'deny',
      subjectPseudonym: scenarioInput(OM_PERMIT).subject.pseudonym,
    });
    expect(replay.decisions[0]!.reasonsTo).toContain('NTK_NOT_IN_MATRIX');
  });

  it('activates with a second officer, signs with the broker key and logs author, approver and replay', async () => {
    const approved = await as(OFFICERS.omB, 'POST', `/v1/policies/${omRevision}/approve`, {
      acknowledgeFailingTests: true,
      comment: 'OM agrees',
    });
    expect(approved.status).toBe(200);
    expect((await json<RevisionDetail>(approved)).approval).toMatchObject({ satisfied: true, round: 0 });
    const before = f.policy.decide(scenarioInput(OM_PERMIT));
    expect(before).toMatchObject({ decision: 'permit', revision: baseline });

    const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
    expect(res.status).toBe(200);
    expect((await json<RevisionDetail>(res)).status).toBe('active');
    expect(f.policy.revision()).toBe(omRevision);
    expect(f.policy.engine().signedBy).toBe(f.key.kid);
    expect(f.decide(scenarioInput(OM_PERMIT))).toMatchObject({ decision: 'deny', revision: omRevision });
    const logged = f.audit.records.find(
      (r) => r.type === 'policy.activated' && r.policyRevision === omRevision,
    );
    expect(logged?.actor).toMatchObject({ personId: 'po-politie-a', role: 'privacy_officer' });
    expect(logged?.details).toMatchObject({
      previousRevision: baseline,
      author: 'po-politie-a',
      approvers: [{ person: 'po-om-b', partner: 'demo-om', kind: 'om' }],
      replay: { changed: 1, changes: [{ from: 'permit', to: 'deny', count: 1 }] },
      signedBy: f.key.kid,
    });
    const again = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
    expect(((await again.json()) as { code: string }).code).toBe('ERR_POLICY_ALREADY_ACTIVE');
  });

  let ggzRevision: string;

  it('needs a GGZ privacy officer for a change to a GGZ rule', async () => {
    const proposed = await as(
      OFFICERS.politieA,
      'POST',
      '/v1/policies',
      matrixProposal('om', 'risicotaxatie', 'ggz.zorgmaatregel', false),
    );
    expect(proposed.status).toBe(201);
    const body = await json<RevisionDetail>(proposed);
    ggzRevision = body.revision;
    expect(body.baseRevision).toBe(omRevision);
    expect(body.holderKinds).toEqual(['ggz']);

    const byOm = await as(OFFICERS.omB, 'POST', `/v1/policies/${ggzRevision}/approve`, {
      acknowledgeFailingTests: true,
    });
    expect(byOm.status).toBe(200);
    expect((await json<RevisionDetail>(byOm)).approval).toMatchObject({
      satisfied: false,
      missingHolderKinds: ['ggz'],
    });
    const refused = await as(OFFICERS.omB, 'POST', `/v1/policies/${ggzRevision}/activate`);
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe('ERR_POLICY_NOT_APPROVED');
    expect(problem.detail).toContain('ggz');

    const byGgz = await as(OFFICERS.ggz, 'POST', `/v1/policies/${ggzRevision}/approve`, {
      acknowledgeFailingTests: true,
    });
    expect(byGgz.status).toBe(200);
    const twice = await as(OFFICERS.ggz, 'POST', `/v1/policies/${ggzRevision}/approve`, {
      acknowledgeFailingTests: true,
    });
    expect(((await twice.json()) as { code: string }).code).toBe('ERR_POLICY_ALREADY_APPROVED');
    const activated = await as(OFFICERS.omB, 'POST', `/v1/policies/${ggzRevision}/activate`);
    expect(activated.status).toBe(200);
    expect(f.policy.revision()).toBe(ggzRevision);
  });

  it('leaves confidential processing out of the replay unless the officer belongs to the AIVD', async () => {
    const proposed = await as(
      OFFICERS.omB,
      'POST',
      '/v1/policies',
      matrixProposal('politie', 'risicotaxatie', 'aivd.signaal', false),
    );
    expect(proposed.status).toBe(201);
    const body = await json<RevisionDetail>(proposed);
    expect(body.holderKinds).toEqual(['aivd']);

    const seenByOm = await json<ReplayResult>(
      await as(OFFICERS.omB, 'POST', `/v1/policies/${body.revision}/replay`),
    );
    expect(seenByOm).toMatchObject({ confidentialLeftOut: true, changed: 0, decisions: [] });
    expect(JSON.stringify(seenByOm)).not.toContain('aivd');

    const seenByAivd = await json<ReplayResult>(
      await as(OFFICERS.aivd, 'POST', `/v1/policies/${body.revision}/replay`),
    );
    expect(seenByAivd.confidentialLeftOut).toBe(false);
    expect(seenByAivd.changed).toBe(1);
    expect(seenByAivd.decisions).toEqual([
      expect.objectContaining({ category: 'aivd.signaal', from: 'permit', to: 'deny' }),
    ]);
  });

  it('rolls back to the baseline only with fresh approvals, including the holders the rollback touches', async () => {
    const refused = await as(OFFICERS.politieA, 'POST', `/v1/policies/${baseline}/activate`);
    expect(((await refused.json()) as { code: string }).code).toBe('ERR_POLICY_NOT_APPROVED');
    expect((await as(OFFICERS.omB, 'POST', `/v1/policies/${baseline}/approve`)).status).toBe(200);
    // The start-up revision has no author to count: one approver and the activating officer are not four eyes.
    const alone = await as(OFFICERS.omB, 'POST', `/v1/policies/${baseline}/activate`);
    expect(alone.status).toBe(409);
    expect(((await alone.json()) as { detail: string }).detail).toMatch(/two privacy officers/);
    // Going back undoes the GGZ change, so the GGZ has its say again.
    const missing = await json<RevisionDetail>(await as(OFFICERS.omB, 'GET', `/v1/policies/${baseline}`));
    expect(missing.approval).toMatchObject({ secondOfficer: false, approvalsMissing: 1 });
    expect(missing.approval.missingHolderKinds).toEqual(['ggz']);
    expect((await as(OFFICERS.ggz, 'POST', `/v1/policies/${baseline}/approve`)).status).toBe(200);
    const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${baseline}/activate`);
    expect(res.status).toBe(200);
    expect(f.policy.revision()).toBe(baseline);
    expect(f.decide(scenarioInput(OM_PERMIT))).toMatchObject({ decision: 'permit', revision: baseline });

    // Rolling forward again to an earlier revision needs a new round of approvals.
    const forward = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
    expect(((await forward.json()) as { code: string }).code).toBe('ERR_POLICY_NOT_APPROVED');
    const list = await json<{ activations: { revision: string }[] }>(
      await as(OFFICERS.omB, 'GET', '/v1/policies'),
    );
    expect(list.activations.map((a) => a.revision)).toEqual([baseline, ggzRevision, omRevision]);
  });

  it('logs that an activation failed when the database does not record it, and keeps the active revision', async () => {
    // Going forward again is a new round: two approvals, as the author does not count twice.
    for (const officer of [OFFICERS.omB, OFFICERS.ggz]) {
      const approved = await as(officer, 'POST', `/v1/policies/${omRevision}/approve`, {
        acknowledgeFailingTests: true,
      });
      expect(approved.status).toBe(200);
    }
    await sql`create function refuse_activation() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`.execute(store.db);
    await sql`create trigger refuse_activation before insert on policy_activations
      for each row execute function refuse_activation()`.execute(store.db);
    const logged = f.audit.records.length;
    try {
      const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await sql`drop trigger refuse_activation on policy_activations`.execute(store.db);
      await sql`drop function refuse_activation()`.execute(store.db);
    }
    expect(f.policy.revision()).toBe(baseline);
    // The log said activated before the database refused: the next entry says it did not happen.
    expect(f.audit.records.slice(logged).map((r) => [r.type, r.policyRevision])).toEqual([
      ['policy.activated', omRevision],
      ['policy.activation_failed', omRevision],
    ]);
    const list = await json<{ active: string; activations: { revision: string }[] }>(
      await as(OFFICERS.omB, 'GET', '/v1/policies'),
    );
    expect(list.activations.map((a) => a.revision)).toEqual([baseline, ggzRevision, omRevision]);
  });

  it('refuses an activation when another process recorded one meanwhile, with ERR_POLICY_ACTIVATION_CONFLICT, and logs it failed', async () => {
    // Another broker process (or the CLI) records its activation while this one is being logged.
    const append = f.audit.append.bind(f.audit);
    f.audit.append = async (record) => {
      const committed = await append(record);
      if (record.type === 'policy.activated') {
        await store.db
          .insertInto('policy_activations')
          .values({ revision: ggzRevision, previous_revision: baseline, activated_by: 'another broker' })
          .execute();
      }
      return committed;
    };
    const logged = f.audit.records.length;
    try {
      const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_ACTIVATION_CONFLICT');
    } finally {
      f.audit.append = append;
      await store.db.deleteFrom('policy_activations').where('activated_by', '=', 'another broker').execute();
    }
    expect(f.policy.revision()).toBe(baseline);
    expect(f.audit.records.slice(logged).map((r) => [r.type, r.policyRevision])).toEqual([
      ['policy.activated', omRevision],
      ['policy.activation_failed', omRevision],
    ]);
    const list = await json<{ activations: { revision: string }[] }>(
      await as(OFFICERS.omB, 'GET', '/v1/policies'),
    );
    expect(list.activations.map((a) => a.revision)).toEqual([baseline, ggzRevision, omRevision]);
  });

  it('tells the operators when a failed activation cannot be logged as failed either', async () => {
    // The database refuses the activation, and then the log refuses the entry that would correct it.
    await sql`create function refuse_activation() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`.execute(store.db);
    await sql`create trigger refuse_activation before insert on policy_activations
      for each row execute function refuse_activation()`.execute(store.db);
    const append = f.audit.append.bind(f.audit);
    f.audit.append = (record) =>
      record.type === 'policy.activation_failed'
        ? Promise.reject(new Error('the log is unavailable (test)'))
        : append(record);
    const lines = f.logLines.length;
    try {
      const res = await as(OFFICERS.politieA, 'POST', `/v1/policies/${omRevision}/activate`);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      f.audit.append = append;
      await sql`drop trigger refuse_activation on policy_activations`.execute(store.db);
      await sql`drop function refuse_activation()`.execute(store.db);
    }
    expect(f.policy.revision()).toBe(baseline);
    const errors = f.logLines
      .slice(lines)
      .map((line) => JSON.parse(line) as { level: number; msg: string; revision?: string })
      .filter((line) => line.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({
        revision: omRevision,
        msg: expect.stringContaining('the activation failed and that could not be logged') as string,
      }),
    ]);
  });

  it('stores a Rego proposal that does not compile with its errors, and refuses to approve it', async () => {
    const res = await as(OFFICERS.politieA, 'POST', '/v1/policies', {
      kind: 'rego',
      description: 'a broken rule',
      sources: { 'consent.rego': 'package schakel.consent\n\nbroken if {\n' },
    });
    expect(res.status).toBe(201);
    const body = await json<RevisionDetail>(res);
    expect(body.status).toBe('failed');
    expect(body.build.ok).toBe(false);
    expect(body.build.check.errors[0]).toMatchObject({ file: 'consent.rego', code: 'rego_parse_error' });
    const approve = await as(OFFICERS.omB, 'POST', `/v1/policies/${body.revision}/approve`);
    expect(((await approve.json()) as { code: string }).code).toBe('ERR_POLICY_BUILD_FAILED');
  });

  it('refuses Rego that would reach the network or read the runtime from the server', async () => {
    const res = await as(OFFICERS.politieA, 'POST', '/v1/policies', {
      kind: 'rego',
      description: 'a test that calls out',
      sources: {
        'leak_test.rego':
          'package schakel.leak_test\n\ntest_leak if {\n\tprint(opa.runtime().env)\n\thttp.send({"method": "get", "url": "http://127.0.0.1:1"})\n}\n',
      },
    });
    expect(res.status).toBe(201);
    const body = await json<RevisionDetail>(res);
    expect(body.build.ok).toBe(false);
    const messages = body.build.check.errors.map((e) => e.message).join('\n');
    expect(messages).toContain('opa.runtime');
    expect(messages).toContain('http.send');
  });

  it('accepts an uploaded bundle only when signed with a trusted key', async () => {
    const archive = readFileSync(COMMITTED_BUNDLE);
    const upload = (bytes: Buffer) =>
      as(OFFICERS.politieA, 'POST', '/v1/policies', {
        kind: 'bundle',
        description: 'built elsewhere',
        bundle: bytes.toString('base64'),
      });
    const unsigned = await upload(archive);
    expect(((await unsigned.json()) as { code: string }).code).toBe('ERR_POLICY_UNSIGNED');
    const stranger = parseBundlePrivateKey(generateBundleKeyPair().privatePem);
    const foreign = await upload(await signBundleArchive(archive, { ...stranger, kid: 'stranger' }));
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as { code: string }).code).toBe('ERR_POLICY_SIGNATURE');
    // Signed with the broker's own key it verifies, and is recognised as the baseline it is.
    const trusted = await upload(
      await signBundleArchive(archive, { key: f.key.key, alg: f.key.alg, kid: f.key.kid }),
    );
    expect(((await trusted.json()) as { code: string }).code).toBe('ERR_POLICY_REVISION_EXISTS');
  });

  it('answers ERR_OPA_UNAVAILABLE when the server has no opa', async () => {
    const without = await createLifecycleFixture(store, { opa: false });
    const res = await asOfficer(
      without.app,
      OFFICERS.politieA,
      'POST',
      '/v1/policies',
      matrixProposal('politie', 'monitoring', 'om.strafzaken', false),
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_OPA_UNAVAILABLE');
  });

  it('refuses edits that do not apply with ERR_VALIDATION naming the field', async () => {
    const res = await as(
      OFFICERS.politieA,
      'POST',
      '/v1/policies',
      matrixProposal('politie', 'risicotaxatie', 'ggz.onbekend', true),
    );
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('ERR_VALIDATION');
    expect(problem.errors[0]!.field).toBe('edits[0].category');
  });

  it('refuses a replay limit that is negative, fractional or above 5,000 with ERR_VALIDATION naming limit', async () => {
    for (const limit of [-1, 1.5, 5001, 1e9]) {
      const res = await as(OFFICERS.omB, 'POST', `/v1/policies/${omRevision}/replay`, { limit });
      expect(res.status, `limit ${limit}`).toBe(422);
      const problem = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(problem).toMatchObject({ code: 'ERR_VALIDATION', errors: [{ field: 'limit' }] });
    }
    const within = await as(OFFICERS.omB, 'POST', `/v1/policies/${omRevision}/replay`, { limit: 5000 });
    expect(within.status).toBe(200);
  });

  it('never retains a justification or a BSN in the decision inputs', async () => {
    const rows = await store.db
      .selectFrom('policy_decision_inputs')
      .select(['input', 'confidential', 'category'])
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.confidential).map((r) => r.category)).toEqual(['aivd.signaal']);
    for (const r of rows) {
      const text = typeof r.input === 'string' ? r.input : JSON.stringify(r.input);
      expect(text).not.toMatch(/(?<!\w)\d{9}(?!\w)/);
    }
  });

  it('deletes retained inputs once the retention period has passed', async () => {
    const kept = await store.db.selectFrom('policy_decision_inputs').select('decided_at').execute();
    const newest = Math.max(...kept.map((r) => new Date(r.decided_at).getTime()));
    const recorder = createInputRecorder({
      db: store.db,
      logger: createLogger({ level: 'silent' }),
      retentionDays: 90,
      now: () => new Date(newest + 90 * 86_400_000 + 1),
    });
    expect(await recorder.prune()).toBe(kept.length);
    expect(await store.db.selectFrom('policy_decision_inputs').select('id').execute()).toEqual([]);
  });
});
