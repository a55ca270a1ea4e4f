// /ui/breakglass over a real database: items the AIVD holds are confidential processing, shown only to an AIVD privacy officer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../broker/identity/identity.ts';
import type { BreakglassUse } from '../../broker/requests/breakglass-service.ts';
import type { Store } from '../../broker/store/database.ts';
import { breakglassPages } from '../../broker/ui/breakglass/breakglass-pages.ts';
import { releasedItemsReader } from '../../broker/ui/breakglass/released-items.ts';
import { fixedCatalogue } from '../../broker/ui/catalogue-in-force.ts';
import { loadCatalogueText } from '../../broker/ui/catalogue-text.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { TEST_PARTNERS, insertTestPartners } from '../support/demo-partners.ts';
import { pagesAs } from './in-process.ts';

const REQUEST = '6f1b6c2e-8d3a-4c55-9d7e-2f7c1a0b9e11';

function officerOf(partnerId: string): Identity {
  const partner = TEST_PARTNERS.find((p) => p.id === partnerId)!;
  return {
    kind: 'person',
    partner: {
      id: partner.id,
      kind: partner.kind,
      identifierType: 'oin',
      identifier: partner.identifier,
      unit: partner.unit,
      organisation: partner.id,
      national: false,
    },
    person: { id: `po-${partner.kind}`, name: 'Privacy officer', role: 'privacy_officer', partnerId },
    certificate: { serial: '01', issuer: 'CN=test', x5tS256: 'thumb', notAfter: new Date('2030-01-01') },
  };
}

describe.each(BACKENDS)('the break-glass page and confidential processing on %s', (backend) => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    await store.db
      .insertInto('cases')
      .values({
        id: 'case-bg',
        subject_pseudonym: 'ps-1',
        status: 'open',
        phase: 'melding',
        lead_partner_id: 'demo-politie',
        emergency: true,
        opened_by_user: 'u-1',
      })
      .execute();
    await store.db
      .insertInto('info_requests')
      .values({
        id: REQUEST,
        case_id: 'case-bg',
        requester_partner_id: 'demo-politie',
        requester_user: 'u-1',
        requester_role: 'teamleider',
        purpose: 'acuut_gevaar',
        subject_pseudonym: 'ps-1',
        sealed_subject: null,
        justification: 'Acute dreiging',
      })
      .execute();
    const item = { request_id: REQUEST, reasons: '[]', legal_basis: null, log_seq: null, answered_at: null };
    await store.db
      .insertInto('request_items')
      .values([
        {
          ...item,
          idx: 0,
          holder_partner_id: 'demo-politie',
          category: 'politie.wapenvergunning',
          outcome: 'disclosed',
        },
        { ...item, idx: 1, holder_partner_id: 'demo-aivd', category: 'aivd.signaal', outcome: 'disclosed' },
      ])
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  const use: BreakglassUse = {
    requestId: REQUEST,
    caseId: 'case-bg',
    requester: 'demo-politie',
    requesterUser: 'u-1',
    requesterRole: 'teamleider',
    justification: 'Acute dreiging',
    at: '2026-01-01T10:00:00.000Z',
    reviewDueAt: '2026-01-04T10:00:00.000Z',
    overdue: false,
  };

  async function pageFor(identity: Identity): Promise<string> {
    const app = pagesAs(
      identity,
      breakglassPages({
        breakglass: {
          list: () => Promise.resolve([use]),
          review: () => Promise.reject(new Error('unused')),
        },
        releasedItems: releasedItemsReader(store.db),
        catalogue: fixedCatalogue(loadCatalogueText()),
      }),
    );
    const res = await app.request('/ui/breakglass');
    expect(res.status).toBe(200);
    const page = await res.text();
    return page.split(`data-request="${REQUEST}"`)[1]!.split('</tr>')[0]!;
  }

  it('leaves the AIVD item out for a privacy officer of another partner', async () => {
    for (const partner of ['demo-om', 'demo-politie', 'demo-ggz']) {
      const row = await pageFor(officerOf(partner));
      expect(row).toContain('Wapenvergunning');
      expect(row).toContain('demo-politie');
      expect(row).not.toContain('Signaal AIVD');
      expect(row).not.toContain('demo-aivd');
    }
  });

  it("shows the AIVD item to the AIVD's privacy officer", async () => {
    const row = await pageFor(officerOf('demo-aivd'));
    expect(row).toContain('Wapenvergunning');
    expect(row).toContain('Signaal AIVD');
    expect(row).toContain('demo-aivd');
  });
});
