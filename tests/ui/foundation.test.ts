// The pages' foundation in Debian's Chromium: sign-in by personal certificate, language, access, CSRF, axe.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleErrors,
  expectAccessible,
  launchBrowser,
  screenshot,
  signIn,
  startUiBroker,
  type UiBroker,
} from './browser.ts';

describe('the pages for people', () => {
  let broker: UiBroker;
  let browser: Browser;

  beforeAll(async () => {
    broker = await startUiBroker('foundation');
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.stop();
  });

  it('greets a signed-in person in Dutch with the pages of their role, accessibly', async () => {
    const context = await signIn(browser, broker, { person: 'po-ggz' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const res = await page.goto(`${broker.origin}/ui`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await expect(page.locator('main#main h1').textContent()).resolves.toBe('Start');
    await expect(page.locator('header').textContent()).resolves.toContain(
      'Privacy officer Demo GGZ-instelling',
    );
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await screenshot(page, 'foundation-home-nl');
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('switches to English and remembers the choice', async () => {
    const context = await signIn(browser, broker, { person: 'evaluator' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui`);
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${broker.origin}/ui`);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Home');
    await screenshot(page, 'foundation-home-en');
    await expectAccessible(page);
    await context.close();
  });

  it('moves keyboard focus to the main content through the skip link', async () => {
    const context = await signIn(browser, broker, { person: 'auditor' });
    const page = await context.newPage();
    await page.goto(`${broker.origin}/ui`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Naar de inhoud');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => location.hash)).resolves.toBe('#main');
    await context.close();
  });

  it('refuses a partner system certificate on every page with ERR_CERT_SYSTEM_AS_PERSON', async () => {
    const context = await signIn(browser, broker, { partner: 'demo-ggz' });
    const page = await context.newPage();
    for (const path of [
      '/ui',
      '/ui/assets/components.css',
      '/ui/reviews',
      '/ui/policies',
      '/ui/breakglass',
    ]) {
      const res = await page.goto(`${broker.origin}${path}`);
      expect(res?.status(), path).toBe(403);
      expect(((await res?.json()) as { code: string }).code, path).toBe('ERR_CERT_SYSTEM_AS_PERSON');
    }
    await context.close();
  });

  it('refuses a cross-site form post with ERR_CSRF', async () => {
    const context = await signIn(browser, broker, { person: 'po-politie' });
    const res = await context.request.post(
      `${broker.origin}/ui/breakglass/00000000-0000-4000-8000-000000000000/review`,
      {
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        form: { verdict: 'gerechtvaardigd' },
      },
    );
    expect(res.status()).toBe(403);
    expect(res.headers()['x-error-code']).toBe('ERR_CSRF');
    await context.close();
  });

  it('refuses a same-origin form post without the form token with ERR_CSRF', async () => {
    const context = await signIn(browser, broker, { person: 'po-politie' });
    const res = await context.request.post(
      `${broker.origin}/ui/breakglass/00000000-0000-4000-8000-000000000000/review`,
      {
        headers: { origin: broker.origin },
        form: { verdict: 'gerechtvaardigd', _csrf: 'forged' },
      },
    );
    expect(res.status()).toBe(403);
    expect(res.headers()['x-error-code']).toBe('ERR_CSRF');
    await context.close();
  });
});
