// Break-glass uses: a justification never holds a BSN, and a use is reviewed once even when two reviews are sent at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import { breakglassReviewSchema, createBreakglassService } from '../../broker/requests/breakglass-service.ts';
import { BACKENDS } from '../support/databases.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, type Harness } from './harness.ts';

const officier = asPartner('demo-om', 'officier');

describe.each(BACKENDS)('break-glass uses on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  afterAll(async () => {
    await h.close();
  });

  const breakGlass = (justification: string) =>
    h.call(officier, 'POST', '/v1/requests', {
      subject: { bsn: DEMO_BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
      justification,
    });

  it('refuses a BSN in the justification with 422 naming the field, and stores nothing', async () => {
    const before = await h.store.db.selectFrom('info_requests').select('id').execute();
    const res = await breakGlass('dreigt met wapen, BSN 111222333');
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('justification');
    const after = await h.store.db.selectFrom('info_requests').select('id').execute();
    expect(after).toHaveLength(before.length);
  });

  it('records one review when two are sent at once; the other gets 409 and is not logged', async () => {
    const use = await breakGlass('dreiging met wapen, acuut');
    expect(use.status).toBe(200);
    const requestId = use.body.id as string;
    const service = createBreakglassService({ db: h.store.db, audit: h.audit });
    const officer = { id: 'po-politie', partnerId: 'demo-politie' };
    const results = await Promise.allSettled([
      service.review(officer, requestId, { verdict: 'gerechtvaardigd' }),
      service.review(officer, requestId, { verdict: 'niet_gerechtvaardigd' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_CONFLICT' });
    const logged = h.audit.records.filter(
      (r) => r.type === 'breakglass.reviewed' && r.requestId === requestId,
    );
    expect(logged).toHaveLength(1);
  });

  it('refuses a BSN in a review explanation, which the pages show', () => {
    const body = (toelichting: string) =>
      breakglassReviewSchema.safeParse({ verdict: 'gerechtvaardigd', toelichting });
    expect(body('toelichting bij 111222333').success).toBe(false);
    expect(body('toelichting bij zaak 2026-114').success).toBe(true);
  });
});
