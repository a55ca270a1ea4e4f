// /ui/breakglass: what was released, by whom and why; the 72-hour flag; a privacy officer's review (Chromium and in process).
import type { Identity } from '../../broker/identity/identity.ts';
import type { BreakglassUse } from '../../broker/requests/breakglass-service.ts';
import { breakglassPages } from '../../broker/ui/breakglass/breakglass-pages.ts';
import { fixedCatalogue } from '../../broker/ui/catalogue-in-force.ts';
import { loadCatalogueText } from '../../broker/ui/catalogue-text.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  launchBrowser,
  partnerApi,
  screenshot,
  signIn,
  startUiBroker,
  type UiBroker,
} from './browser.ts';
import { pagesAs } from './in-process.ts';

const OFFICER: Identity = {
  kind: 'person',
  partner: {
    id: 'demo-om',
    kind: 'om',
    identifierType: 'oin',
    identifier: '00000001800000002000',
    unit: '',
    organisation: 'Demo Openbaar Ministerie',
    national: false,
  },
  person: { id: 'po-om', name: 'Privacy officer OM', role: 'privacy_officer', partnerId: 'demo-om' },
  certificate: { serial: '01', issuer: 'CN=test', x5tS256: 'thumb', notAfter: new Date('2030-01-01') },
};

describe('the break-glass page in process', () => {
  it('flags a use left unreviewed for more than 72 hours', async () => {
    const overdue: BreakglassUse = {
      requestId: '6f1b6c2e-8d3a-4c55-9d7e-2f7c1a0b9e01',
      caseId: 'c1',
      requester: 'demo-om',
      requesterUser: 'u-7',
      requesterRole: 'officier',
      justification: 'dreiging met een wapen',
      at: '2026-01-01T10:00:00.000Z',
      reviewDueAt: '2026-01-04T10:00:00.000Z',
      overdue: true,
    };
    const fresh: BreakglassUse = {
      ...overdue,
      requestId: '6f1b6c2e-8d3a-4c55-9d7e-2f7c1a0b9e02',
      overdue: false,
    };
    const app = pagesAs(
      OFFICER,
      breakglassPages({
        breakglass: {
          list: () => Promise.resolve([overdue, fresh]),
          review: () => Promise.reject(new Error('unused')),
        },
        releasedItems: () =>
          Promise.resolve(
            new Map([
              [
                overdue.requestId,
                [
                  {
                    category: 'politie.wapenvergunning',
                    holder: 'demo-politie',
                    holderKind: 'politie',
                    outcome: 'disclosed',
                  },
                ],
              ],
            ]),
          ),
        catalogue: fixedCatalogue(loadCatalogueText()),
      }),
    );
    const res = await app.request('/ui/breakglass');
    expect(res.status).toBe(200);
    const page = await res.text();
    const rows = page.split('<tr').slice(2);
    expect(rows[0]).toContain('schakel-row--overdue');
    expect(rows[0]).toContain('Te laat: langer dan 72 uur niet getoetst');
    expect(rows[0]).toContain('Wapenvergunning');
    expect(rows[1]).not.toContain('schakel-row--overdue');
    expect(rows[1]).toContain('Toetsen vóór');
  });
});

describe('the break-glass page in Chromium', () => {
  let broker: UiBroker;
  let browser: Browser;
  let api: ReturnType<typeof partnerApi>;

  beforeAll(async () => {
    broker = await startUiBroker('breakglass');
    browser = await launchBrowser();
    api = partnerApi(broker);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await browser?.close();
    await broker?.stop();
  });

  it('shows a privacy officer what was released, by whom and why, and records the review', async () => {
    const use = await api.call('demo-om', 'officier', 'POST', '/v1/requests', {
      subject: { bsn: '111222333' },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
      justification: 'Acute dreiging met een vuurwapen bij het Binnenhof',
    });
    expect(use.status).toBe(200);
    const id = use.body.id as string;

    const context = await signIn(browser, broker, { person: 'po-politie' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui`);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Doorbraak' })
      .click();
    const row = page.locator(`tr[data-request="${id}"]`);
    const text = await row.textContent();
    expect(text).toContain('Acute dreiging met een vuurwapen bij het Binnenhof');
    expect(text).toContain('demo-om (officier');
    expect(text).toContain('Wapenvergunning');
    expect(text).toContain('Toetsen vóór');
    await screenshot(page, 'breakglass-1-list');
    await expectAccessible(page);

    await row.getByLabel('Gerechtvaardigd', { exact: true }).check();
    await row.getByLabel('Toelichting').fill('Levensgevaar was aannemelijk.');
    await row.getByRole('button', { name: 'Toetsing vastleggen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('vastgelegd');
    await expect(page.locator(`tr[data-request="${id}"]`).textContent()).resolves.toContain(
      'Gerechtvaardigd (door po-politie',
    );
    await screenshot(page, 'breakglass-2-reviewed');
    await expectAccessible(page);
    await context.close();
  });

  it('keeps the break-glass page from an evaluator with ERR_FORBIDDEN', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    const res = await page.goto(`${broker.origin}/ui/breakglass`);
    expect(res?.status()).toBe(403);
    expect(res?.headers()['x-error-code']).toBe('ERR_FORBIDDEN');
    await context.close();
  });
});
