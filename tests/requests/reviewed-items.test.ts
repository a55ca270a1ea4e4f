// Reviewed items: a release is checked by the policy before it is recorded, decided once, disclosed once, and only to a caller the policy admits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../adapters/contract.ts';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import { BACKENDS } from '../support/databases.ts';
import { TEST_PARTNERS } from '../support/demo-partners.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, demoSources, type Harness, type Item } from './harness.ts';

const regisseur = asPartner('demo-politie', 'casusregisseur');
const analist = asPartner('demo-politie', 'analist');
const behandelaar = asPartner('demo-ggz', 'behandelaar');

/** Conflict of duties with every condition met: a release the policy accepts. */
const RELEASE = {
  decision: 'release',
  ground: 'conflict_van_plichten',
  considerations: {
    toestemming: 'te_gevaarlijk',
    gewetensnood: true,
    subsidiariteit: true,
    schade: true,
    doelmatigheid: true,
    proportionaliteit: true,
    collegaGeraadpleegd: false,
  },
};

describe.each(BACKENDS)('reviewed items on %s', (backend) => {
  let h: Harness;
  // The GGZ source (a simulator): what it holds now, and how often it was asked.
  let measure = { soort: 'crisismaatregel', van: '2026-01-01', tot: '2026-01-20' };
  let ggzFetches = 0;
  // Runs inside the source's answer: what another read does meanwhile.
  let duringFetch: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const demo = demoSources(new Map(TEST_PARTNERS.map((p) => [p.id, p.kind] as const)));
    const ggz: Adapter = {
      categories: ['ggz.zorgmaatregel'],
      async fetch() {
        ggzFetches++;
        await duringFetch?.();
        return { status: 'found', record: { ...measure } };
      },
    };
    h = await createHarness(backend, { adapters: (holder) => (holder === 'demo-ggz' ? ggz : demo(holder)) });
  });
  afterAll(async () => {
    await h.close();
  });

  const item = (body: Record<string, unknown>, category: string) =>
    (body.items as Item[]).find((i) => i.category === category)!;

  /** A request for ggz.zorgmaatregel by the regisseur, and its review in the behandelaar's queue. */
  async function pendingReview(): Promise<{ requestId: string; reviewId: string }> {
    const caseId = await h.includedCase();
    const asked = await h.call(regisseur, 'POST', '/v1/requests', {
      caseId,
      subject: { bsn: DEMO_BSN },
      purpose: 'risicotaxatie',
      categories: ['ggz.zorgmaatregel'],
    });
    expect(item(asked.body, 'ggz.zorgmaatregel').outcome).toBe('pending_review');
    const requestId = asked.body.id as string;
    const queue = (await h.call(behandelaar, 'GET', '/v1/reviews')).body as unknown as {
      id: string;
      requestId: string;
    }[];
    return { requestId, reviewId: queue.find((r) => r.requestId === requestId)!.id };
  }

  const decisionsOf = (reviewId: string) =>
    h.audit.records.filter(
      (r) => r.type === 'review.decided' && (r.details as { reviewId?: string }).reviewId === reviewId,
    );

  it('refuses with 422 a release the policy would not accept, and the review stays in the queue', async () => {
    const { requestId, reviewId } = await pendingReview();
    // Consent as the ground, but the person gave none.
    const onConsent = await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, {
      decision: 'release',
      ground: 'toestemming',
    });
    expect(onConsent.status).toBe(422);
    expect(JSON.stringify(onConsent.body)).toContain('RELEASE_CONSENT_NOT_VALID');
    // Fields of which none is the category's.
    const noFields = await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, {
      ...RELEASE,
      fields: ['naam'],
    });
    expect(noFields.status).toBe(422);
    expect(JSON.stringify(noFields.body)).toContain('RELEASE_NO_FIELDS');
    expect(decisionsOf(reviewId)).toEqual([]);
    const queue = (await h.call(behandelaar, 'GET', '/v1/reviews')).body as unknown as { id: string }[];
    expect(queue.map((r) => r.id)).toContain(reviewId);
    // A release the policy accepts is still possible, and opens the data.
    expect((await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE)).status).toBe(200);
    const read = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(read.body, 'ggz.zorgmaatregel').outcome).toBe('disclosed');
  });

  it('records one decision when two are sent at once; the other gets 409 and is not logged', async () => {
    const { reviewId } = await pendingReview();
    const [a, b] = await Promise.all([
      h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, {
        decision: 'refuse',
        redenCode: 'geen_noodzaak',
      }),
      h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(decisionsOf(reviewId)).toHaveLength(1);
  });

  it('refuses a BSN in the logged text of a decision with 422 naming the field', async () => {
    const { reviewId } = await pendingReview();
    const res = await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, {
      decision: 'refuse',
      redenCode: 'dossier 111222333',
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('redenCode');
    expect(decisionsOf(reviewId)).toEqual([]);
  });

  it('discloses a released item once, then shows the outcome without data and forgets the sealed subject', async () => {
    const { requestId, reviewId } = await pendingReview();
    await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE);
    const before = ggzFetches;
    const first = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(first.body, 'ggz.zorgmaatregel')).toMatchObject({
      outcome: 'disclosed',
      data: { soort: 'crisismaatregel' },
    });
    expect(first.body.receipt).toBeTypeOf('string');
    // The source changes; the professional released what it held then, for this request only.
    measure = { soort: 'zorgmachtiging', van: '2026-06-01', tot: '2027-06-01' };
    const second = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(second.body, 'ggz.zorgmaatregel').outcome).toBe('disclosed');
    expect(item(second.body, 'ggz.zorgmaatregel').data).toBeUndefined();
    expect(ggzFetches - before).toBe(1);
    const disclosures = h.audit.records.filter(
      (r) => r.type === 'request.item' && r.requestId === requestId && r.outcome === 'disclosed',
    );
    expect(disclosures).toHaveLength(1);
    const stored = await h.store.db
      .selectFrom('info_requests')
      .select('sealed_subject')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(stored.sealed_subject).toBeNull();
  });

  it('decides a released item for the user who reads it: another role of the same partner gets no data', async () => {
    const { requestId, reviewId } = await pendingReview();
    await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE);
    const byAnalist = await h.call(analist, 'GET', `/v1/requests/${requestId}`);
    expect(byAnalist.status).toBe(200);
    const seen = item(byAnalist.body, 'ggz.zorgmaatregel');
    expect(seen.outcome).toBe('denied');
    expect(seen.data).toBeUndefined();
    // The release still stands for the requester, and the log names who received the data.
    const byRegisseur = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(byRegisseur.body, 'ggz.zorgmaatregel').outcome).toBe('disclosed');
    const disclosed = h.audit.records.filter(
      (r) => r.type === 'request.item' && r.requestId === requestId && r.outcome === 'disclosed',
    );
    expect(disclosed.map((r) => r.actor)).toEqual([
      expect.objectContaining({ partnerId: 'demo-politie', role: 'casusregisseur' }),
    ]);
  });

  it('answers two reads at once with one disclosure', async () => {
    const { requestId, reviewId } = await pendingReview();
    await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE);
    const before = ggzFetches;
    const reads = await Promise.all([
      h.call(regisseur, 'GET', `/v1/requests/${requestId}`),
      h.call(regisseur, 'GET', `/v1/requests/${requestId}`),
    ]);
    expect(reads.map((r) => r.status)).toEqual([200, 200]);
    const withData = reads.filter((r) => item(r.body, 'ggz.zorgmaatregel').data !== undefined);
    expect(withData).toHaveLength(1);
    expect(ggzFetches - before).toBe(1);
  });

  it('sends nothing from a read whose claim another read took over, and lets that read answer', async () => {
    const { requestId, reviewId } = await pendingReview();
    await h.call(behandelaar, 'POST', `/v1/reviews/${reviewId}/decision`, RELEASE);
    // While this read waits for the source, another read takes the item over (as after a stale claim).
    duringFetch = async () => {
      duringFetch = undefined;
      await h.store.db
        .updateTable('request_items')
        .set({ answered_at: new Date(0) })
        .where('request_id', '=', requestId)
        .execute();
    };
    const slow = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(slow.body, 'ggz.zorgmaatregel').outcome).toBe('pending_review');
    expect(item(slow.body, 'ggz.zorgmaatregel').data).toBeUndefined();
    expect(slow.body.receipt).toBeUndefined();
    const next = await h.call(regisseur, 'GET', `/v1/requests/${requestId}`);
    expect(item(next.body, 'ggz.zorgmaatregel')).toMatchObject({
      outcome: 'disclosed',
      data: { soort: expect.any(String) },
    });
  });
});
