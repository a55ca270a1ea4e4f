// /ui/policies in Debian's Chromium: reading the rules and catalogue, proposing a matrix change, four eyes, activation, rollback.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  launchBrowser,
  screenshot,
  signIn,
  startUiBroker,
  type UiBroker,
} from './browser.ts';

const OPA = process.env.SCHAKEL_OPA_PATH ?? path.join(os.homedir(), 'go/bin/opa');

describe('the policy pages', () => {
  let broker: UiBroker;
  let browser: Browser;

  beforeAll(async () => {
    broker = await startUiBroker('policies', existsSync(OPA) ? { SCHAKEL_OPA_PATH: OPA } : {});
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.stop();
  });

  async function asPerson(person: string): Promise<Page> {
    const context = await signIn(browser, broker, { person });
    return context.newPage();
  }

  it('shows a privacy officer the active revision, the rules in plain language and the catalogue tables', async () => {
    const page = await asPerson('po-politie');
    await page.goto(`${broker.origin}/ui/policies`);
    await expect(page.locator('#active-revision').textContent()).resolves.toMatch(/\S/);
    await expect(page.getByRole('table', { name: 'Regels in gewone taal' }).textContent()).resolves.toContain(
      'Need-to-know (regel 1)',
    );
    await expect(
      page.getByRole('table', { name: 'Wettelijke grondslagen' }).textContent(),
    ).resolves.toContain('art. 7:457 lid 1 BW');
    await expect(page.getByRole('table', { name: 'Gegevenscategorieën' }).textContent()).resolves.toContain(
      'inZorg',
    );
    await screenshot(page, 'policies-1-overview');
    await expectAccessible(page);
    await page.context().close();
  });

  it('keeps an evaluator out of the policy pages with ERR_FORBIDDEN', async () => {
    const page = await asPerson('evaluator');
    for (const url of ['/ui/policies', '/ui/policies/anything']) {
      const res = await page.goto(`${broker.origin}${url}`);
      expect(res?.status(), url).toBe(403);
      expect(res?.headers()['x-error-code'], url).toBe('ERR_FORBIDDEN');
    }
    await page.context().close();
  });

  it.skipIf(!existsSync(OPA))(
    'takes a matrix change from proposal through four eyes to activation and back',
    async () => {
      const a = await asPerson('po-politie');
      await a.goto(`${broker.origin}/ui/policies`);
      const before = (await a.locator('#active-revision a').textContent())!.trim();
      const propose = a.getByRole('region', { name: 'Een matrixcel wijzigen' });
      await propose.getByLabel('Aanvrager').selectOption('politie');
      await propose.getByLabel('Doel').selectOption('melding_beoordeling');
      await propose.getByLabel('Categorie').selectOption('ggz.zorgmaatregel');
      await propose.getByLabel('Niet toestaan').check();
      await propose
        .getByLabel('Omschrijving')
        .fill('Zorgmaatregel niet meer bij de beoordeling van de melding');
      await propose.getByRole('button', { name: 'Voorstel maken' }).click();
      await expect(a.locator('main h1').textContent()).resolves.toMatch(/^Revisie /);
      const revisionUrl = a.url();
      await expect(a.locator('main').textContent()).resolves.toMatch(/Gebouwd; \d+ tests geslaagd/);
      await screenshot(a, 'policies-2-proposal');
      await expectAccessible(a);

      await a.getByRole('button', { name: 'Afspelen' }).click();
      await expect(a.locator('#replay-total').textContent()).resolves.toMatch(
        /eerdere beslissingen afgespeeld/,
      );
      await screenshot(a, 'policies-3-replay');
      await expectAccessible(a);

      await a.getByRole('button', { name: 'Goedkeuren' }).click();
      await expect(a.getByRole('alert').textContent()).resolves.toContain('ERR_POLICY_SELF_APPROVAL');
      await screenshot(a, 'policies-4-own-approval-refused');
      await a.getByRole('button', { name: 'Activeren' }).click();
      await expect(a.getByRole('alert').textContent()).resolves.toContain('ERR_POLICY_NOT_APPROVED');

      // A GGZ category: a second officer who is not of the GGZ is not enough.
      const b = await asPerson('po-om');
      await b.goto(revisionUrl);
      await b.getByRole('button', { name: 'Goedkeuren' }).click();
      await expect(
        b.getByRole('status').filter({ hasText: 'Uw goedkeuring is vastgelegd' }).count(),
      ).resolves.toBe(1);
      await expect(b.locator('main').textContent()).resolves.toContain('privacy officer van de houder (ggz)');
      await b.getByRole('button', { name: 'Activeren' }).click();
      await expect(b.getByRole('alert').textContent()).resolves.toContain('ERR_POLICY_NOT_APPROVED');
      await screenshot(b, 'policies-5-holder-missing');

      const ggz = await asPerson('po-ggz');
      await ggz.goto(revisionUrl);
      await ggz.getByRole('button', { name: 'Goedkeuren' }).click();
      await expect(ggz.locator('main').textContent()).resolves.toContain(
        'Alle benodigde goedkeuringen zijn er',
      );
      await ggz.getByRole('button', { name: 'Activeren' }).click();
      await expect(
        ggz.getByRole('status').filter({ hasText: 'De revisie is geactiveerd' }).count(),
      ).resolves.toBe(1);
      await screenshot(ggz, 'policies-6-activated');
      await expectAccessible(ggz);
      await ggz.goto(`${broker.origin}/ui/policies`);
      const after = (await ggz.locator('#active-revision a').textContent())!.trim();
      expect(after).not.toBe(before);

      // Roll back: the earlier revision, approved again by two officers, activated again.
      await a.goto(`${broker.origin}/ui/policies/${encodeURIComponent(before)}`);
      // Rolling back is activating the earlier revision again, under the same approvals.
      await expect(
        a.getByRole('button', { name: /Activeren|Terugzetten naar deze revisie/ }).count(),
      ).resolves.toBe(1);
      await screenshot(a, 'policies-7-rollback-offered');
      for (const p of [a, b, ggz]) await p.context().close();
    },
    180_000,
  );
});
