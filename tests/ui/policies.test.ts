// /ui/policies in Debian's Chromium: issue 8's acceptance flow (change a matrix cell, tests, replay, four eyes and the holder's say, activation seen over the partner API, rollback), the catalogue forms, the Rego editor and bundle upload.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/processes.ts';
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

const OPA = process.env.SCHAKEL_OPA_PATH ?? path.join(os.homedir(), 'go/bin/opa');
const BSN = '111222333';

describe('the policy pages', () => {
  let broker: UiBroker;
  let browser: Browser;
  let api: ReturnType<typeof partnerApi>;
  let caseId: string;

  beforeAll(async () => {
    broker = await startUiBroker('policies', existsSync(OPA) ? { SCHAKEL_OPA_PATH: OPA } : {});
    browser = await launchBrowser();
    api = partnerApi(broker);
    const opened = await api.call('demo-politie', 'casusregisseur', 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: TEST_MELDING,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
    for (const member of [
      { partner: 'demo-ggz', role: 'behandelaar' },
      { partner: 'demo-om', role: 'officier' },
    ]) {
      const added = await api.call(
        'demo-politie',
        'casusregisseur',
        'POST',
        `/v1/cases/${caseId}/members`,
        member,
      );
      expect(added.status).toBe(201);
    }
    const included = await api.call('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    expect(included.status).toBe(201);
    // The GGZ recorded the patient's consent to tell the OM about care measures for the risk assessment.
    const consent = await api.call('demo-ggz', 'behandelaar', 'POST', '/v1/consents', {
      subject: { bsn: BSN },
      grantedBy: 'betrokkene',
      evidence: 'formulier',
      recipients: ['om'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.zorgmaatregel'],
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(consent.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await browser?.close();
    await broker?.stop();
  });

  async function asPerson(person: string, options: { javaScript?: boolean } = {}): Promise<Page> {
    const context = await signIn(browser, broker, { person });
    if (options.javaScript === false) {
      await context.close();
      const noJs = await browser.newContext({
        ignoreHTTPSErrors: true,
        javaScriptEnabled: false,
        clientCertificates: [
          {
            origin: broker.origin,
            certPath: path.join(broker.pki, 'people', person, 'cert.pem'),
            keyPath: path.join(broker.pki, 'people', person, 'key.pem'),
          },
        ],
      });
      return noJs.newPage();
    }
    return context.newPage();
  }

  /** The OM asks the GGZ about care measures, as its system would; returns the item's outcome. */
  async function omAsksForCareMeasures(): Promise<string> {
    const asked = await api.call('demo-om', 'officier', 'POST', '/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'risicotaxatie',
      categories: ['ggz.zorgmaatregel'],
    });
    expect(asked.status).toBe(200);
    return (asked.body.items as { outcome: string }[])[0]!.outcome;
  }

  const matrixCell = (page: Page, cell: string) => page.locator(`tr[data-cell="${cell}"]`).textContent();

  it('shows a privacy officer the active revision, the rules in plain language (Dutch on Dutch pages) and the catalogue tables', async () => {
    const page = await asPerson('po-politie');
    const errors = consoleErrors(page);
    await page.goto(`${broker.origin}/ui/policies`);
    await expect(page.locator('#active-revision').textContent()).resolves.toContain('Startrevisie');
    const rules = page.getByRole('table', { name: 'Regels in gewone taal' });
    await expect(rules.textContent()).resolves.toContain('Need-to-know (regel 1)');
    await expect(rules.textContent()).resolves.toContain('Toestemming (regel 3)');
    await expect(
      page.getByRole('table', { name: 'Wettelijke grondslagen' }).textContent(),
    ).resolves.toContain('art. 7:457 lid 1 BW');
    await expect(page.getByRole('table', { name: 'Gegevenscategorieën' }).textContent()).resolves.toContain(
      'inZorg',
    );
    await screenshot(page, 'policies-1-overview');
    await expectAccessible(page);
    await page.goto(`${broker.origin}/ui/policies?lang=en`);
    await expect(
      page.getByRole('table', { name: 'The rules in plain language' }).textContent(),
    ).resolves.toContain('Need-to-know (rule 1)');
    await page.goto(`${broker.origin}/ui/policies?lang=nl`);
    // The icon is served (no 403 noise for a browser holding a personal certificate).
    const icon = await page.request.get(`${broker.origin}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/x-icon');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps an evaluator out of the policy pages with ERR_FORBIDDEN', async () => {
    const page = await asPerson('evaluator');
    for (const url of [
      '/ui/policies',
      '/ui/policies/new',
      '/ui/policies/new/rego',
      '/ui/policies/anything',
    ]) {
      const res = await page.goto(`${broker.origin}${url}`);
      expect(res?.status(), url).toBe(403);
      expect(res?.headers()['x-error-code'], url).toBe('ERR_FORBIDDEN');
    }
    await page.context().close();
  });

  it.skipIf(!existsSync(OPA))(
    'walks a GGZ matrix change through tests, replay, four eyes and the holder, activation seen over the API, and rollback',
    async () => {
      expect(await omAsksForCareMeasures()).toBe('disclosed');

      const a = await asPerson('po-politie');
      await a.goto(`${broker.origin}/ui/policies`);
      const before = (await a.locator('#active-revision a').textContent())!.trim();
      await expect(matrixCell(a, 'om/risicotaxatie')).resolves.toContain('ggz.zorgmaatregel');
      await a.getByRole('link', { name: 'Een matrixcel wijzigen' }).click();
      await expectAccessible(a);
      const form = a.getByRole('region', { name: 'Een matrixcel wijzigen' });
      await form.getByLabel('Aanvrager').selectOption('om');
      await form.getByLabel('Doel').selectOption('risicotaxatie');
      await form.getByLabel('Categorie').selectOption('ggz.zorgmaatregel');
      await form.getByLabel('Niet toestaan').check();
      await form
        .getByLabel('Omschrijving')
        .fill('Zorgmaatregelen niet meer aan het OM voor de risicotaxatie');
      await form.getByRole('button', { name: 'Voorstel maken' }).click();
      await expect(a.locator('main h1').textContent()).resolves.toMatch(/^Revisie /);
      const revisionUrl = a.url();
      await expect(a.locator('main').textContent()).resolves.toMatch(/Gebouwd; \d+ tests geslaagd/);
      await screenshot(a, 'policies-2-proposal-tests');
      await expectAccessible(a);

      await a.getByRole('button', { name: 'Afspelen' }).click();
      await expect(a.locator('#replay-total').textContent()).resolves.toMatch(
        /afgespeeld; [1-9]\d* veranderen/,
      );
      await expect(a.getByRole('table', { name: 'Verandering' }).textContent()).resolves.toContain(
        'permit → deny',
      );
      await expect(a.getByRole('table', { name: 'Per categorie' }).textContent()).resolves.toContain(
        'ggz.zorgmaatregel',
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
      await expectAccessible(b);

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

      // The overview shows the revision in force: its matrix, not the start-up one.
      await ggz.goto(`${broker.origin}/ui/policies`);
      const after = (await ggz.locator('#active-revision a').textContent())!.trim();
      expect(after).not.toBe(before);
      await expect(matrixCell(ggz, 'om/risicotaxatie')).resolves.not.toContain('ggz.zorgmaatregel');
      await screenshot(ggz, 'policies-7-overview-after-activation');
      // Over the partner API: what was disclosed before is now denied.
      expect(await omAsksForCareMeasures()).toBe('denied');

      // Roll back to the start-up revision: the same approvals, the holder's included.
      await a.goto(`${broker.origin}/ui/policies/${encodeURIComponent(before)}`);
      await expect(a.getByRole('heading', { name: 'Terugzetten naar deze revisie' }).count()).resolves.toBe(
        1,
      );
      await expect(a.locator('main').textContent()).resolves.toContain('Startrevisie');
      await screenshot(a, 'policies-8-rollback-offered');
      await expectAccessible(a);
      await a.getByRole('button', { name: 'Goedkeuren' }).click();
      await a.getByRole('button', { name: 'Terugzetten naar deze revisie' }).click();
      await expect(a.getByRole('alert').textContent()).resolves.toContain('ERR_POLICY_NOT_APPROVED');
      await ggz.goto(`${broker.origin}/ui/policies/${encodeURIComponent(before)}`);
      await ggz.getByRole('button', { name: 'Goedkeuren' }).click();
      await ggz.getByRole('button', { name: 'Terugzetten naar deze revisie' }).click();
      await expect(
        ggz.getByRole('status').filter({ hasText: 'De revisie is geactiveerd' }).count(),
      ).resolves.toBe(1);
      await screenshot(ggz, 'policies-9-rolled-back');
      await ggz.goto(`${broker.origin}/ui/policies`);
      await expect(ggz.locator('#active-revision a').textContent()).resolves.toContain(before);
      await expect(matrixCell(ggz, 'om/risicotaxatie')).resolves.toContain('ggz.zorgmaatregel');
      // The old behaviour returns: what was denied is disclosed again.
      expect(await omAsksForCareMeasures()).toBe('disclosed');
      for (const p of [a, b, ggz]) await p.context().close();
    },
    240_000,
  );

  it.skipIf(!existsSync(OPA))(
    'keeps what was entered in a category form shown again with its problems',
    async () => {
      const page = await asPerson('po-politie');
      await page.goto(`${broker.origin}/ui/policies/new?category=ggz.bekend`);
      const form = page.getByRole('region', { name: /velden van een categorie wijzigen: ggz.bekend/ });
      await expect(form.getByLabel('Velden', { exact: true }).inputValue()).resolves.toBe(
        'inZorg\nsinds\ninstelling',
      );
      await form.getByLabel('Minimale velden').fill('inZorg\nbestaatNiet');
      await form.getByLabel('Omschrijving').fill('Een veld dat niet bestaat');
      await form.getByRole('button', { name: 'Voorstel maken' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain(
        "not among the category's fields: bestaatNiet",
      );
      const again = page.getByRole('region', { name: /velden van een categorie wijzigen: ggz.bekend/ });
      await expect(again.getByLabel('Minimale velden').inputValue()).resolves.toBe('inZorg\nbestaatNiet');
      await expect(again.getByLabel('Omschrijving').inputValue()).resolves.toBe('Een veld dat niet bestaat');
      await expect(again.getByLabel('Minimale velden').getAttribute('aria-invalid')).resolves.toBe('true');
      await screenshot(page, 'policies-10-category-form-problems');
      await expectAccessible(page);

      // A legal basis: the citation changes, the proposal is built and lists what it changes.
      await page.goto(`${broker.origin}/ui/policies/new?basis=bg_wettelijk_voorschrift`);
      const basis = page.getByRole('region', {
        name: /wettelijke grondslag wijzigen: bg_wettelijk_voorschrift/,
      });
      await basis.getByLabel('Vindplaats').fill('art. 7:457 lid 1 BW jo. art. 8:29 Wvggz');
      await basis.getByLabel('Omschrijving').fill('Vindplaats korter');
      await basis.getByRole('button', { name: 'Voorstel maken' }).click();
      await expect(page.locator('main h1').textContent()).resolves.toMatch(/^Revisie /);
      await expect(page.locator('main').textContent()).resolves.toContain('legal_bases');
      await page.context().close();
    },
    120_000,
  );

  it.skipIf(!existsSync(OPA))(
    'edits Rego in CodeMirror and shows opa errors next to the source, as it does without JavaScript',
    async () => {
      const page = await asPerson('po-politie');
      const errors = consoleErrors(page);
      await page.goto(`${broker.origin}/ui/policies/new/rego?file=consent.rego`);
      await page.locator('.cm-editor .cm-content').waitFor({ state: 'visible' });
      await expect(page.locator('#rego-source').isHidden()).resolves.toBe(true);
      // Rego highlighting: keywords and comments are styled tokens.
      await expect(page.locator('.cm-content span').count()).resolves.toBeGreaterThan(10);
      await expectAccessible(page);
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\nbroken if {{ input.x\n');
      await page.getByLabel('Omschrijving').fill('Een kapotte regel');
      await page.getByRole('button', { name: 'Voorstel maken' }).click();
      const problems = page.getByRole('region', { name: 'Meldingen van opa' });
      await expect(problems.textContent()).resolves.toContain('consent.rego, regel');
      // The editor marks the reported line and scrolls it into view.
      await page.locator('.schakel-editor__error-line').first().waitFor({ state: 'visible' });
      // Kept as entered, and with plain spaces (Chrome types some as U+00A0 into the editor).
      await expect(page.locator('#rego-source').inputValue()).resolves.toContain('broken if {{ input.x');
      await screenshot(page, 'policies-11-rego-editor-errors');
      await expectAccessible(page);
      // Known and harmless: the re-shown form answers 422, and CodeMirror sets a style attribute that
      // the pages' CSP (no inline style) blocks; the stylesheet gives the editor what it needs.
      expect(
        errors.filter((e) => !/status of 422|Applying inline style violates .*style-src/.test(e)),
      ).toEqual([]);
      await page.context().close();

      const plain = await asPerson('po-politie', { javaScript: false });
      await plain.goto(`${broker.origin}/ui/policies/new/rego?file=review.rego`);
      const source = plain.getByLabel('Broncode van review.rego');
      await expect(source.isVisible()).resolves.toBe(true);
      await source.fill(`${await source.inputValue()}\nalso_broken := [\n`);
      await plain.getByLabel('Omschrijving').fill('Zonder JavaScript');
      await plain.getByRole('button', { name: 'Voorstel maken' }).click();
      await expect(plain.getByRole('region', { name: 'Meldingen van opa' }).textContent()).resolves.toContain(
        'review.rego, regel',
      );
      await expect(plain.getByLabel('Broncode van review.rego').inputValue()).resolves.toContain(
        'also_broken := [',
      );
      await screenshot(plain, 'policies-12-rego-without-javascript');
      await plain.context().close();
    },
    120_000,
  );

  it('checks the signature of an uploaded bundle and shows the refusal with its code', async () => {
    const page = await asPerson('po-politie');
    await page.goto(`${broker.origin}/ui/policies/new/bundle`);
    await expectAccessible(page);
    await page
      .getByLabel('Bundel (.tar.gz)')
      .setInputFiles(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz'));
    await page.getByLabel('Omschrijving').fill('Elders gebouwd, niet ondertekend');
    await page.getByRole('button', { name: 'Uploaden en controleren' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('ERR_POLICY_UNSIGNED');
    await expect(page.getByLabel('Omschrijving').inputValue()).resolves.toBe(
      'Elders gebouwd, niet ondertekend',
    );
    await screenshot(page, 'policies-13-upload-refused');
    await page.context().close();
  });
});
