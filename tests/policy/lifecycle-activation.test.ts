// Activation is atomic: under load, across two broker instances on one database, every decision is made
// by the old or the new revision, never fails, and its log entry names the revision that made it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoAdapters } from '../../adapters/reference/demo-adapters.ts';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import type { Caller } from '../../broker/cases/caller.ts';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { createLogger } from '../../broker/logger.ts';
import { startPolicyWatcher, type PolicyWatcher } from '../../broker/policy/lifecycle/index.ts';
import { createRequestService } from '../../broker/requests/request-service.ts';
import { createReviewService } from '../../broker/requests/review-service.ts';
import { createSubjectSealer } from '../../broker/requests/sealed-subject.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore, scratchDir } from '../support/databases.ts';
import { TEST_PARTNERS, insertTestPartners } from '../support/demo-partners.ts';
import { asPartner } from '../support/test-caller.ts';
import {
  OFFICERS,
  createLifecycleFixture,
  matrixProposal,
  type LifecycleFixture,
} from './lifecycle-fixture.ts';
import { INSTALL_OPA, findOpa, opaRequired } from './support.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the activation tests need opa: ${INSTALL_OPA}`);

const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
} as const;

/** One broker instance: its own policy engine, lifecycle, watcher and request flow on the shared database. */
interface Instance {
  readonly f: LifecycleFixture;
  readonly watcher: PolicyWatcher;
  readonly ask: (caseId: string) => Promise<{ outcome: string; reasons: readonly { code: string }[] }>;
  readonly cases: ReturnType<typeof createCaseService>;
}

async function instance(store: Store, keyFile: string): Promise<Instance> {
  const f = await createLifecycleFixture(store, { keyFile });
  const catalogue = loadCatalogue();
  const pseudonymise = (bsn: string) => `p-${bsn.split('').reverse().join('')}`;
  const cases = createCaseService({ db: store.db, audit: f.audit, catalogue, pseudonymise });
  const reviews = createReviewService({ db: store.db, audit: f.audit });
  const consents = createConsentService({
    db: store.db,
    audit: f.audit,
    catalogue,
    pseudonymise,
    pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    onWithdrawn: async (id) => {
      await reviews.cancelForConsent(id);
    },
  });
  const requests = createRequestService({
    db: store.db,
    audit: f.audit,
    catalogue,
    cases,
    consents,
    decide: (input) => f.decide(input),
    adapters: createDemoAdapters(TEST_PARTNERS, catalogue.categories),
    pseudonymise,
    pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    sealer: createSubjectSealer(randomBytes(32)),
    issueReceipt: () => Promise.resolve('receipt'),
  });
  const watcher = startPolicyWatcher({
    db: store.db,
    policy: f.policy,
    trust: f.lifecycle.trust,
    maxMemoryBytes: 32 * 1024 * 1024,
    logger: createLogger({ level: 'silent' }),
    // The test calls sync() itself; the timer must not race it.
    intervalMs: 60_000,
  });
  const regisseur = asPartner('demo-politie', 'casusregisseur');
  return {
    f,
    watcher,
    cases,
    ask: async (caseId) => {
      const view = await requests.create(regisseur, {
        caseId,
        bsn: DEMO_BSN,
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken'],
      });
      return view.items[0]!;
    },
  };
}

describe.skipIf(!haveOpa).each(BACKENDS)('activating a revision under load on %s', (backend) => {
  let store: Store;
  let one: Instance;
  let two: Instance;
  let caseId: string;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const keyFile = path.join(scratchDir('policy-key'), 'policy-signing.pem');
    one = await instance(store, keyFile);
    two = await instance(store, keyFile);
    const regisseur: Caller = asPartner('demo-politie', 'casusregisseur');
    const opened = await one.cases.open(regisseur, { bsn: DEMO_BSN, melding: MELDING });
    caseId = opened.id;
    await one.cases.recordEvent(regisseur, caseId, { type: 'inclusiebesluit', data: { besluit: 'in' } });
    await one.cases.addMember(regisseur, caseId, { partner: 'demo-om', role: 'officier' });
  });
  afterAll(async () => {
    one?.watcher.stop();
    two?.watcher.stop();
    await store?.close();
  });

  it('makes every decision by the old or the new revision, never an error, and both instances switch', async () => {
    const old = one.f.policy.revision()!;
    const proposed = await one.f.lifecycle.propose(
      OFFICERS.politieA,
      matrixProposal('politie', 'risicotaxatie', 'om.strafzaken', false) as never,
    );
    await one.f.lifecycle.approve(OFFICERS.omB, proposed.revision, { acknowledgeFailingTests: true });
    const next = proposed.revision;

    let running = true;
    const answers: { by: 1 | 2; outcome: string; codes: string[] }[] = [];
    const failures: unknown[] = [];
    const load = (by: 1 | 2, on: Instance) =>
      (async () => {
        while (running) {
          // PGlite answers in microtasks: yield a turn so the other instance and the activation run too.
          await new Promise((resolve) => setImmediate(resolve));
          try {
            const item = await on.ask(caseId);
            answers.push({ by, outcome: item.outcome, codes: item.reasons.map((r) => r.code) });
          } catch (error) {
            failures.push(error);
            return;
          }
        }
      })();
    const workers = [load(1, one), load(1, one), load(2, two), load(2, two)];
    // Wait until the load runs on both instances before activating (no sleeps: count answers).
    while (
      failures.length === 0 &&
      (answers.filter((a) => a.by === 1).length < 5 || answers.filter((a) => a.by === 2).length < 5)
    ) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await one.f.lifecycle.activate(OFFICERS.politieA, next);
    expect(one.f.policy.revision()).toBe(next);
    expect(two.f.policy.revision()).toBe(old);
    expect(await two.watcher.sync()).toBe(next);
    expect(two.f.policy.revision()).toBe(next);
    const after = answers.length;
    while (failures.length === 0 && answers.length < after + 10) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    running = false;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    const byNew = answers.filter((a) => a.outcome === 'denied').length;
    console.log(
      `${answers.length} decisions during activation: ${answers.length - byNew} by the old, ${byNew} by the new revision`,
    );
    for (const a of answers) {
      const byOld = a.outcome === 'disclosed';
      const byNew = a.outcome === 'denied' && a.codes.includes('NTK_NOT_IN_MATRIX');
      expect(byOld || byNew, JSON.stringify(a)).toBe(true);
    }
    const logged = [...one.f.audit.records, ...two.f.audit.records].filter((r) => r.type === 'request.item');
    expect(logged).toHaveLength(answers.length);
    for (const entry of logged) {
      // Each decision's log entry names the revision that made it, and the outcome matches that revision.
      expect([old, next]).toContain(entry.policyRevision);
      expect(entry.outcome).toBe(entry.policyRevision === old ? 'disclosed' : 'denied');
    }
    for (const records of [one.f.audit.records, two.f.audit.records]) {
      const revisions = records.filter((r) => r.type === 'request.item').map((r) => r.policyRevision);
      expect(revisions).toContain(old);
      expect(revisions).toContain(next);
      // Once an instance decided by the new revision, it never went back to the old one.
      expect(revisions.slice(revisions.indexOf(next))).not.toContain(old);
    }
    await one.f.recorder.flush();
    await two.f.recorder.flush();
    const retained = await store.db
      .selectFrom('policy_decision_inputs')
      .select(['revision', 'decision'])
      .execute();
    expect(retained).toHaveLength(answers.length);
    expect(new Set(retained.map((r) => `${r.revision === old ? 'old' : 'new'}:${r.decision}`))).toEqual(
      new Set(['old:permit', 'new:deny']),
    );
  });

  it('refuses to load an activated bundle not signed with the broker key, and keeps the running revision', async () => {
    const running = two.f.policy.revision();
    const stranger = await createLifecycleFixture(store, {
      keyFile: path.join(scratchDir('other-key'), 'policy-signing.pem'),
    });
    const proposed = await stranger.lifecycle.propose(
      OFFICERS.politieA,
      matrixProposal('politie', 'monitoring', 'om.strafzaken', false) as never,
    );
    await stranger.lifecycle.approve(OFFICERS.omB, proposed.revision, { acknowledgeFailingTests: true });
    await stranger.lifecycle.activate(OFFICERS.omB, proposed.revision);
    expect(await two.watcher.sync()).toBeUndefined();
    expect(two.f.policy.revision()).toBe(running);
  });
});
