// The review form follows the catalogue of the revision in force: a revision that changes minimal fields changes what the form pre-ticks and offers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../broker/identity/identity.ts';
import type { ReviewView } from '../../broker/requests/review-service.ts';
import type { Store } from '../../broker/store/database.ts';
import { catalogueInForce } from '../../broker/ui/catalogue-in-force.ts';
import { reviewPages } from '../../broker/ui/reviews/review-pages.ts';
import { OFFICERS, createLifecycleFixture, type LifecycleFixture } from '../policy/lifecycle-fixture.ts';
import { INSTALL_OPA, findOpa, opaRequired } from '../policy/support.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { pagesAs } from './in-process.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the policy lifecycle tests need opa: ${INSTALL_OPA}`);

const REVIEW = '7a1b6c2e-8d3a-4c55-9d7e-2f7c1a0b9e21';
const REQUEST = '7a1b6c2e-8d3a-4c55-9d7e-2f7c1a0b9e22';

const BEHANDELAAR: Identity = {
  kind: 'person',
  partner: {
    id: 'demo-ggz',
    kind: 'ggz',
    identifierType: 'ura',
    identifier: '12345678',
    unit: '',
    organisation: 'Demo GGZ',
    national: false,
  },
  person: { id: 'bh-ggz', name: 'Behandelaar', role: 'behandelaar', partnerId: 'demo-ggz' },
  certificate: { serial: '01', issuer: 'CN=test', x5tS256: 'thumb', notAfter: new Date('2030-01-01') },
};

const VIEW: ReviewView = {
  id: REVIEW,
  requestId: REQUEST,
  category: 'ggz.behandelaar',
  purpose: 'risicotaxatie',
  requester: 'demo-politie',
  urgent: false,
  dueAt: '2026-01-04T10:00:00.000Z',
};

/** The field checkboxes of the consent (cvp) form: value and whether it is ticked. */
function cvpFields(page: string): Record<string, boolean> {
  const fields: Record<string, boolean> = {};
  for (const input of page.matchAll(/<input[^>]*id="cvp-field-\d+"[^>]*>/g)) {
    const value = /value="([^"]*)"/.exec(input[0])![1]!;
    fields[value] = /\schecked\b/.test(input[0]);
  }
  return fields;
}

describe.skipIf(!haveOpa).each(BACKENDS)('the review form and the revision in force on %s', (backend) => {
  let store: Store;
  let f: LifecycleFixture;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    f = await createLifecycleFixture(store);
    await store.db
      .insertInto('cases')
      .values({
        id: 'case-rv',
        subject_pseudonym: 'ps-1',
        status: 'open',
        phase: 'informatie',
        lead_partner_id: 'demo-politie',
        emergency: false,
        opened_by_user: 'u-1',
      })
      .execute();
    await store.db
      .insertInto('info_requests')
      .values({
        id: REQUEST,
        case_id: 'case-rv',
        requester_partner_id: 'demo-politie',
        requester_user: 'u-1',
        requester_role: 'analist',
        purpose: 'risicotaxatie',
        subject_pseudonym: 'ps-1',
        sealed_subject: null,
        justification: 'Risicotaxatie na dreigbrief',
      })
      .execute();
    await store.db
      .insertInto('reviews')
      .values({
        id: REVIEW,
        request_id: REQUEST,
        idx: 0,
        holder_partner_id: 'demo-ggz',
        reviewer_role: 'behandelaar',
        category: 'ggz.behandelaar',
        purpose: 'risicotaxatie',
        requester_partner_id: 'demo-politie',
        urgent: false,
        basis_consent_ids: '[]',
        status: 'pending',
        decision: null,
        decided_by_user: null,
        decided_at: null,
        due_at: new Date('2026-01-04T10:00:00.000Z'),
      })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function reviewForm(): Promise<Record<string, boolean>> {
    const app = pagesAs(
      BEHANDELAAR,
      reviewPages({
        reviews: {
          pending: () => Promise.resolve([VIEW]),
          decide: () => Promise.reject(new Error('unused')),
        },
        db: store.db,
        // As broker/main.ts wires it.
        catalogue: catalogueInForce(f.lifecycle),
      }),
    );
    const res = await app.request(`/ui/reviews/${REVIEW}`);
    expect(res.status).toBe(200);
    return cvpFields(await res.text());
  }

  it('pre-ticks the minimal fields of the activated revision and offers its new field', async () => {
    expect(await reviewForm()).toEqual({ naam: false, functie: true, telefoon: true, instelling: false });

    const proposed = await f.lifecycle.propose(OFFICERS.politieA, {
      kind: 'catalogue',
      description: 'behandelaar: naam en bereikbaarheid als minimale velden',
      edits: [
        {
          op: 'category',
          category: 'ggz.behandelaar',
          fields: ['naam', 'functie', 'telefoon', 'instelling', 'bereikbaarheid'],
          minimalFields: ['naam', 'bereikbaarheid'],
        },
      ],
    });
    expect(proposed.build.ok).toBe(true);
    await f.lifecycle.approve(OFFICERS.ggz, proposed.revision, { acknowledgeFailingTests: true });
    await f.lifecycle.activate(OFFICERS.politieA, proposed.revision);
    expect(f.policy.revision()).toBe(proposed.revision);

    expect(await reviewForm()).toEqual({
      naam: true,
      functie: false,
      telefoon: false,
      instelling: false,
      bereikbaarheid: true,
    });
  });
});
