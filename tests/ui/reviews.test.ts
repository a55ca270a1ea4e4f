// /ui/reviews in Debian's Chromium: a behandelaar decides a waiting review and the requester then sees the item disclosed.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleErrors,
  expectAccessible,
  launchBrowser,
  partnerApi,
  screenshot,
  signIn,
  startUiBroker,
  type UiBroker,
} from './browser.ts';
import { TEST_MELDING } from '../e2e/open-case.ts';

const BSN = '111222333';

describe('reviews for professionals', () => {
  let broker: UiBroker;
  let browser: Browser;
  let api: ReturnType<typeof partnerApi>;
  let caseId: string;

  beforeAll(async () => {
    broker = await startUiBroker('reviews');
    browser = await launchBrowser();
    api = partnerApi(broker);
    const opened = await api.call('demo-politie', 'casusregisseur', 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: TEST_MELDING,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
    const member = await api.call('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/members`, {
      partner: 'demo-ggz',
      role: 'behandelaar',
    });
    expect(member.status).toBe(201);
    const included = await api.call('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    expect(included.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await browser?.close();
    await broker?.stop();
  });

  async function requestGgz(category: string, justification: string): Promise<string> {
    const asked = await api.call('demo-politie', 'casusregisseur', 'POST', '/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'risicotaxatie',
      categories: [category],
      justification,
    });
    expect(asked.status).toBe(200);
    expect((asked.body.items as { outcome: string }[])[0]?.outcome).toBe('pending_review');
    return asked.body.id as string;
  }

  it('releases on conflict of duties in the browser, after which the requester sees the item disclosed', async () => {
    const requestId = await requestGgz(
      'ggz.bekend',
      'Dreiging tegen de minister-president; is betrokkene in zorg?',
    );
    const context = await signIn(browser, broker, { person: 'behandelaar-ggz' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${broker.origin}/ui`);
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Beoordelingen' })
      .click();
    await expect(page.locator('main h1').textContent()).resolves.toBe('Beoordelingen');
    const row = page.locator('tbody tr', { hasText: 'Bekend bij de GGZ' });
    await expect(row.textContent()).resolves.toContain('Demo Politie');
    await expect(row.textContent()).resolves.toContain('Informatie verzamelen');
    await screenshot(page, 'reviews-1-queue');
    await expectAccessible(page);

    await row.getByRole('link').click();
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Dreiging tegen de minister-president; is betrokkene in zorg?',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('art. 40 Sr');
    await screenshot(page, 'reviews-2-detail');
    await expectAccessible(page);

    // One condition left open: the page refuses to release and names it.
    const cvp = page.getByRole('region', { name: 'Vrijgeven bij conflict van plichten' });
    await cvp.getByLabel('Toestemming vragen is te gevaarlijk').check();
    for (const label of [
      'Ik kom door te zwijgen in gewetensnood',
      'Er is geen andere weg dan doorbreking van het beroepsgeheim (subsidiariteit)',
      'Zwijgen leidt tot ernstige schade voor anderen',
      'Verstrekking voorkomt of beperkt die schade',
    ]) {
      await cvp.getByLabel(label).check();
    }
    await cvp.getByRole('button', { name: 'Vrijgeven bij conflict van plichten' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('proportionaliteit');
    await screenshot(page, 'reviews-3-condition-missing');
    await expectAccessible(page);
    const stillPending = await api.call('demo-politie', 'casusregisseur', 'GET', `/v1/requests/${requestId}`);
    expect((stillPending.body.items as { outcome: string }[])[0]?.outcome).toBe('pending_review');

    const again = page.getByRole('region', { name: 'Vrijgeven bij conflict van plichten' });
    await again.getByLabel('Toestemming vragen is te gevaarlijk').check();
    for (const label of [
      'Ik kom door te zwijgen in gewetensnood',
      'Er is geen andere weg dan doorbreking van het beroepsgeheim (subsidiariteit)',
      'Zwijgen leidt tot ernstige schade voor anderen',
      'Verstrekking voorkomt of beperkt die schade',
      'Ik verstrek niet meer dan nodig (proportionaliteit)',
      'Ik heb een collega geraadpleegd',
    ]) {
      await again.getByLabel(label).check();
    }
    await again.getByRole('button', { name: 'Vrijgeven bij conflict van plichten' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Uw beslissing is vastgelegd');
    await expect(page.locator('main').textContent()).resolves.not.toContain('Bekend bij de GGZ');
    await screenshot(page, 'reviews-4-decided');
    // The only failed load is the deliberate 422 re-render above.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();

    const after = await api.call('demo-politie', 'casusregisseur', 'GET', `/v1/requests/${requestId}`);
    expect(after.status).toBe(200);
    const item = (
      after.body.items as { outcome: string; data?: Record<string, unknown>; legalBasis?: unknown }[]
    )[0];
    expect(item?.outcome).toBe('disclosed');
    // Conflict of duties releases the minimal fields by default: in care or not, nothing more.
    expect(Object.keys(item?.data ?? {})).toEqual(['inZorg']);
  });

  it('names why the rules refuse a release on consent without one, then refuses with a reason code, after which the requester sees the item refused', async () => {
    const requestId = await requestGgz('ggz.behandelaar', 'Wie is de behandelaar?');
    const context = await signIn(browser, broker, { person: 'behandelaar-ggz' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui/reviews?lang=en`);
    await page.locator('tbody tr', { hasText: 'Treating professional' }).getByRole('link').click();
    // Consent as the ground, but no consent is on file: the rules would open nothing, so the page
    // says why and the review stays open.
    await page
      .getByRole('region', { name: 'Release on consent' })
      .getByRole('button', { name: 'Release with consent' })
      .click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'there is no valid consent of the person for this disclosure',
    );
    await expectAccessible(page);
    const open = await api.call('demo-politie', 'casusregisseur', 'GET', `/v1/requests/${requestId}`);
    expect((open.body.items as { outcome: string }[])[0]?.outcome).toBe('pending_review');
    const refuse = page.getByRole('region', { name: 'Refuse' });
    await refuse.getByRole('button', { name: 'Refuse' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Reason for refusal');
    await page
      .getByRole('region', { name: 'Refuse' })
      .getByLabel('Reason for refusal')
      .selectOption('niet_noodzakelijk');
    await screenshot(page, 'reviews-5-refuse-en');
    await expectAccessible(page);
    await page.getByRole('region', { name: 'Refuse' }).getByRole('button', { name: 'Refuse' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Your decision has been recorded',
    );
    await context.close();
    const after = await api.call('demo-politie', 'casusregisseur', 'GET', `/v1/requests/${requestId}`);
    expect((after.body.items as { outcome: string }[])[0]?.outcome).toBe('refused');
  });

  it('keeps the review pages from a privacy officer with ERR_FORBIDDEN', async () => {
    const context = await signIn(browser, broker, { person: 'po-ggz' });
    const page = await context.newPage();
    const res = await page.goto(`${broker.origin}/ui/reviews`);
    expect(res?.status()).toBe(403);
    expect(res?.headers()['x-error-code']).toBe('ERR_FORBIDDEN');
    await expectAccessible(page);
    await context.close();
  });

  it('shows the AIVD analist an empty queue, not the GGZ reviews', async () => {
    const context = await signIn(browser, broker, { person: 'analist-aivd' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui/reviews`);
    await expect(page.locator('main').textContent()).resolves.toContain('Er wachten geen verzoeken');
    await context.close();
  });
});
