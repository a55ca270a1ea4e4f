// The request flow end to end in process: real wasm policy, real store, simulated sources, the log's contract.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import type { Caller } from '../../broker/cases/caller.ts';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { caseRoutes } from '../../broker/cases/routes.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { consentRoutes } from '../../broker/consents/routes.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createPolicyService, loadPolicyEngine } from '../../broker/policy/index.ts';
import { createRequestService, type ReceiptClaims } from '../../broker/requests/request-service.ts';
import { createReviewService } from '../../broker/requests/review-service.ts';
import { requestRoutes } from '../../broker/requests/routes.ts';
import { createSubjectSealer } from '../../broker/requests/sealed-subject.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners, TEST_PARTNERS } from '../support/demo-partners.ts';
import { createRecordingAppender } from '../support/recording-audit.ts';
import { asPartner as as, callerFromHeader, createTestApp, requestAs } from '../support/test-caller.ts';
import { PROJECT_ROOT } from '../support/processes.ts';

const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
};

interface Item {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  legalBasis?: string;
  reasons: { code: string }[];
}

describe.each(BACKENDS)('information requests on %s', (backend) => {
  let store: Store;
  let app: Hono<AppEnv>;
  const audit = createRecordingAppender();
  const receipts: ReceiptClaims[] = [];

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const catalogue = loadCatalogue();
    const pseudonymise = (bsn: string) => `p.${bsn}`.replace(/\d/g, (d) => String((Number(d) + 3) % 10));
    const cases = createCaseService({ db: store.db, audit, catalogue, pseudonymise });
    const reviews = createReviewService({
      db: store.db,
      audit,
      checkRelease: (review, decision) => requests.checkRelease(review, decision),
    });
    const consents = createConsentService({
      db: store.db,
      audit,
      catalogue,
      pseudonymise,
      pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
      onWithdrawn: async (id) => {
        await reviews.cancelForConsent(id);
      },
    });
    const policy = createPolicyService();
    policy.activate(
      await loadPolicyEngine(
        readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')),
        'committed',
      ),
    );
    const byKind = new Map(TEST_PARTNERS.map((p) => [p.id, p.kind]));
    const requests = createRequestService({
      db: store.db,
      audit,
      catalogue,
      cases,
      consents,
      decide: (input) => policy.decide(input),
      adapters: (holder) => {
        const kind = byKind.get(holder);
        const categories = Object.entries(catalogue.categories)
          .filter(([, c]) => c.holder_kind === kind)
          .map(([name]) => name);
        return createReferenceAdapter(categories, DEMO_DATA);
      },
      pseudonymise,
      pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
      sealer: createSubjectSealer(randomBytes(32)),
      issueReceipt: (claims) => {
        receipts.push(claims);
        return Promise.resolve(`receipt-${receipts.length}`);
      },
    });
    const getCaller = callerFromHeader;
    app = createTestApp([
      caseRoutes({ cases, getCaller }),
      consentRoutes({ consents, getCaller }),
      requestRoutes({ requests, reviews, getCaller, getRequester: getCaller }),
    ]);
  });
  afterAll(async () => {
    await store.close();
  });

  const call = async (caller: Caller, method: string, url: string, body?: unknown) => {
    const res = await requestAs(app, caller, method, url, body);
    return {
      status: res.status,
      body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown>,
    };
  };

  const regisseur = as('demo-politie', 'casusregisseur');
  const behandelaar = as('demo-ggz', 'behandelaar');

  /** A case in phase informatie with the GGZ and the OM as members. */
  async function includedCase(): Promise<string> {
    const opened = await call(regisseur, 'POST', '/v1/cases', {
      subject: { bsn: DEMO_BSN },
      melding: MELDING,
    });
    const id = opened.body.id as string;
    await call(regisseur, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-ggz', role: 'behandelaar' });
    await call(regisseur, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-om', role: 'officier' });
    await call(regisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    return id;
  }

  const ask = (
    caller: Caller,
    caseId: string | undefined,
    categories: string[],
    extra: Record<string, unknown> = {},
  ) =>
    call(caller, 'POST', '/v1/requests', {
      ...(caseId === undefined ? {} : { caseId }),
      subject: { bsn: DEMO_BSN },
      purpose: 'risicotaxatie',
      categories,
      ...extra,
    });

  const item = (body: Record<string, unknown>, category: string) =>
    (body.items as Item[]).find((i) => i.category === category)!;

  it('discloses non-medical categories minimised, queues medical ones for review, and signs one receipt', async () => {
    const caseId = await includedCase();
    const res = await ask(regisseur, caseId, ['om.strafzaken', 'ggz.bekend']);
    expect(res.status).toBe(200);
    const strafzaken = item(res.body, 'om.strafzaken');
    expect(strafzaken.outcome).toBe('disclosed');
    expect(strafzaken.legalBasis).toBe('wjsg_39f');
    expect(Object.keys(strafzaken.data!)).toEqual(['lopend']);
    expect(item(res.body, 'ggz.bekend')).toMatchObject({ outcome: 'pending_review' });
    expect(item(res.body, 'ggz.bekend').data).toBeUndefined();
    expect(res.body.receipt).toBeTypeOf('string');
    const claims = receipts.at(-1)!;
    expect(claims.items.map((i) => i.category)).toEqual(['om.strafzaken']);
    const logged = audit.records.filter((r) => r.requestId === res.body.id);
    expect(logged.map((r) => r.outcome).sort()).toEqual(['disclosed', 'pending_review']);
    expect(logged.find((r) => r.outcome === 'disclosed')?.payloadHash).toBe(claims.items[0]!.payloadHash);
  });

  it('never writes the BSN or a disclosed value into the log', async () => {
    const caseId = await includedCase();
    await ask(regisseur, caseId, ['om.strafzaken', 'om.justitiele_documentatie']);
    const text = JSON.stringify(audit.records);
    expect(text).not.toContain(DEMO_BSN);
    expect(text).not.toContain('taakstraf');
    expect(text).not.toContain('Midden-Nederland"'); // parket value
  });

  it('answers 404 to a partner that is not a member of the case', async () => {
    const caseId = await includedCase();
    const res = await ask(as('demo-kmar', 'analist'), caseId, ['politie.wapenvergunning']);
    expect(res.status).toBe(404);
  });

  it('denies with reasons when the phase does not allow the purpose, and discloses nothing', async () => {
    const opened = await call(regisseur, 'POST', '/v1/cases', {
      subject: { bsn: DEMO_BSN },
      melding: MELDING,
    });
    const res = await ask(regisseur, opened.body.id as string, ['om.strafzaken']);
    const strafzaken = item(res.body, 'om.strafzaken');
    expect(strafzaken.outcome).toBe('denied');
    expect(strafzaken.data).toBeUndefined();
    expect(strafzaken.reasons.length).toBeGreaterThan(0);
    expect(res.body.receipt).toBeUndefined();
  });

  it('releases a GGZ category on a consent the holder recorded', async () => {
    const caseId = await includedCase();
    const consent = await call(behandelaar, 'POST', '/v1/consents', {
      subject: { bsn: DEMO_BSN },
      grantedBy: 'betrokkene',
      evidence: 'formulier',
      recipients: ['politie'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.behandelaar'],
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(consent.status).toBe(201);
    const res = await ask(regisseur, caseId, ['ggz.behandelaar']);
    expect(item(res.body, 'ggz.behandelaar')).toMatchObject({
      outcome: 'disclosed',
      legalBasis: 'bg_toestemming',
    });
    await call(behandelaar, 'DELETE', `/v1/consents/${consent.body.id as string}`);
    const after = await ask(regisseur, caseId, ['ggz.behandelaar']);
    expect(item(after.body, 'ggz.behandelaar').outcome).toBe('pending_review');
  });

  it('discloses the minimal fields after the behandelaar releases on conflict of duties', async () => {
    const caseId = await includedCase();
    const res = await ask(regisseur, caseId, ['ggz.bekend']);
    const queue = await call(behandelaar, 'GET', '/v1/reviews');
    const review = (queue.body as unknown as { id: string; requestId: string }[]).find(
      (r) => r.requestId === res.body.id,
    )!;
    expect(review).toBeDefined();
    const considerations = {
      toestemming: 'te_gevaarlijk',
      gewetensnood: true,
      subsidiariteit: true,
      schade: true,
      doelmatigheid: true,
      proportionaliteit: false,
      collegaGeraadpleegd: true,
    };
    const incomplete = await call(behandelaar, 'POST', `/v1/reviews/${review.id}/decision`, {
      decision: 'release',
      ground: 'conflict_van_plichten',
      considerations,
    });
    expect(incomplete.status).toBe(422);
    expect(JSON.stringify(incomplete.body)).toContain('considerations.proportionaliteit');
    const before = await call(regisseur, 'GET', `/v1/requests/${res.body.id as string}`);
    expect(item(before.body, 'ggz.bekend').outcome).toBe('pending_review');
    const released = await call(behandelaar, 'POST', `/v1/reviews/${review.id}/decision`, {
      decision: 'release',
      ground: 'conflict_van_plichten',
      considerations: { ...considerations, proportionaliteit: true },
    });
    expect(released.status).toBe(200);
    const after = await call(regisseur, 'GET', `/v1/requests/${res.body.id as string}`);
    const bekend = item(after.body, 'ggz.bekend');
    expect(bekend).toMatchObject({
      outcome: 'disclosed',
      legalBasis: 'bg_conflict_van_plichten',
      data: { inZorg: true },
    });
    expect(Object.keys(bekend.data!)).toEqual(['inZorg']);
    expect(after.body.receipt).toBeTypeOf('string');
  });

  it('shows a refusal by the professional as refused', async () => {
    const caseId = await includedCase();
    const res = await ask(regisseur, caseId, ['ggz.zorgmaatregel']);
    const review = (
      (await call(behandelaar, 'GET', '/v1/reviews')).body as unknown as { id: string; requestId: string }[]
    ).find((r) => r.requestId === res.body.id)!;
    await call(behandelaar, 'POST', `/v1/reviews/${review.id}/decision`, {
      decision: 'refuse',
      redenCode: 'geen_noodzaak',
    });
    const after = await call(regisseur, 'GET', `/v1/requests/${res.body.id as string}`);
    expect(item(after.body, 'ggz.zorgmaatregel')).toMatchObject({ outcome: 'refused' });
    expect(item(after.body, 'ggz.zorgmaatregel').data).toBeUndefined();
  });

  it('lets only the requesting partner read a request', async () => {
    const caseId = await includedCase();
    const res = await ask(regisseur, caseId, ['om.strafzaken']);
    expect(
      (await call(as('demo-om', 'officier'), 'GET', `/v1/requests/${res.body.id as string}`)).status,
    ).toBe(404);
  });

  it('opens an emergency case for break-glass and gives only minimal fields; a justification is required', async () => {
    const officier = as('demo-om', 'officier');
    const without = await call(officier, 'POST', '/v1/requests', {
      subject: { bsn: DEMO_BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
    });
    expect(without.status).toBe(422);
    const res = await call(officier, 'POST', '/v1/requests', {
      subject: { bsn: DEMO_BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning', 'ggz.bekend'],
      justification: 'dreiging met wapen, acuut',
    });
    expect(res.status).toBe(200);
    expect(item(res.body, 'politie.wapenvergunning')).toMatchObject({
      outcome: 'disclosed',
      data: { heeftVergunning: false },
    });
    expect(item(res.body, 'ggz.bekend').outcome).toBe('pending_review');
    const emergency = await store.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', res.body.caseId as string)
      .executeTakeFirstOrThrow();
    expect(emergency).toMatchObject({ emergency: true, lead_partner_id: 'demo-om', phase: 'melding' });
    expect(emergency.takeover_due_at).not.toBeNull();
    const analist = await call(as('demo-politie', 'analist'), 'POST', '/v1/requests', {
      subject: { bsn: DEMO_BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
      justification: 'x',
    });
    expect(analist.status).toBe(403);
  });

  it('fails with 503 and discloses nothing when the log cannot be written', async () => {
    const caseId = await includedCase();
    audit.failing = true;
    try {
      const res = await ask(regisseur, caseId, ['om.strafzaken']);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('ERR_AUDIT_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toContain('bedreiging');
      // The request is stored with its items after their log entries: nothing of it is left behind.
      const stored = await store.db
        .selectFrom('info_requests')
        .select('id')
        .where('case_id', '=', caseId)
        .execute();
      expect(stored).toEqual([]);
    } finally {
      audit.failing = false;
    }
  });

  it('keeps a break-glass use on record for the privacy officers even when its log entries fail', async () => {
    const breakGlassUses = () =>
      store.db
        .selectFrom('info_requests')
        .leftJoin('request_items', 'request_items.request_id', 'info_requests.id')
        .select(['info_requests.id', 'request_items.outcome'])
        .where('purpose', '=', 'acuut_gevaar')
        .execute();
    const caseId = await includedCase();
    const before = await breakGlassUses();
    audit.failing = true;
    try {
      const res = await call(as('demo-om', 'officier'), 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: DEMO_BSN },
        purpose: 'acuut_gevaar',
        categories: ['politie.wapenvergunning'],
        justification: 'dreiging met wapen, acuut',
      });
      expect(res.status).toBe(503);
      expect(JSON.stringify(res.body)).not.toContain('heeftVergunning');
    } finally {
      audit.failing = false;
    }
    const added = (await breakGlassUses()).filter((u) => !before.some((b) => b.id === u.id));
    expect(added).toEqual([{ id: expect.any(String) as string, outcome: null }]);
  });
});
