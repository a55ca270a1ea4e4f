// The browser-test harness: `schakel serve` in a scratch directory, Debian's Chromium through
// playwright-core with personal client certificates, screenshots and an axe-core check.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Agent, fetch } from 'undici';
import { expect } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { PROJECT_ROOT, runSchakel, startServe, type ServeHandle } from '../support/processes.ts';

/** Debian's Chromium (never a downloaded browser); SCHAKEL_TEST_CHROMIUM overrides the path. */
export const CHROMIUM = process.env.SCHAKEL_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots go (gitignored). */
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-results/ui');

/** A broker started as a user would, with its dev PKI and demo partners and people. */
export interface UiBroker {
  readonly serve: ServeHandle;
  readonly cwd: string;
  readonly pki: string;
  /** https://localhost:<port> (the dev server certificate names localhost). */
  readonly origin: string;
  stop(): Promise<void>;
}

/** Starts `schakel serve` in a fresh scratch directory. */
export async function startUiBroker(name: string, env: Record<string, string> = {}): Promise<UiBroker> {
  const cwd = scratchDir(`ui-${name}`);
  const serve = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false', ...env }, timeoutMs: 60_000 });
  const agents: Agent[] = [];
  return {
    serve,
    cwd,
    pki: path.join(cwd, 'var/pki'),
    origin: `https://localhost:${serve.port}`,
    async stop() {
      await Promise.all(agents.map((a) => a.close()));
      await serve.stop('SIGTERM');
    },
  };
}

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/**
 * A browser context signed in with a certificate from the dev PKI: a demo person
 * (`people/<id>`) or, to prove it is refused, a partner system (`partners/<id>`).
 */
export function signIn(
  browser: Browser,
  broker: UiBroker,
  who: { person: string } | { partner: string },
): Promise<BrowserContext> {
  const dir =
    'person' in who
      ? path.join(broker.pki, 'people', who.person)
      : path.join(broker.pki, 'partners', who.partner);
  return browser.newContext({
    ignoreHTTPSErrors: true,
    clientCertificates: [
      { origin: broker.origin, certPath: path.join(dir, 'cert.pem'), keyPath: path.join(dir, 'key.pem') },
    ],
  });
}

/** Saves a full-page screenshot to test-results/ui/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs axe-core (WCAG 2.1 A and AA rules) and fails on any serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe violations on ${page.url()}`).toEqual([]);
}

/** Collects console errors of a page (a page should render without any). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Calls the partner API as a demo partner system with a user token, as the partner's system would. */
export function partnerApi(broker: UiBroker) {
  const agents = new Map<string, Agent>();
  const tokens = new Map<string, string>();
  function agentFor(partner: string): Agent {
    let agent = agents.get(partner);
    if (agent === undefined) {
      const dir = path.join(broker.pki, 'partners', partner);
      agent = new Agent({
        connect: {
          ca: readFileSync(path.join(broker.pki, 'ca.pem'), 'utf8'),
          cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
          key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
          servername: 'localhost',
        },
      });
      agents.set(partner, agent);
    }
    return agent;
  }
  async function token(partner: string, role: string): Promise<string> {
    const key = `${partner}/${role}`;
    const cached = tokens.get(key);
    if (cached !== undefined) return cached;
    const run = await runSchakel(
      ['pki', 'token', '--partner', partner, '--user', `${partner}-${role}`, '--role', role, '--ttl', '600'],
      { cwd: broker.cwd },
    );
    if (run.code !== 0) throw new Error(`pki token failed: ${run.stderr}`);
    tokens.set(key, run.stdout.trim());
    return run.stdout.trim();
  }
  return {
    async call(partner: string, role: string, method: string, url: string, body?: unknown) {
      const res = await fetch(`https://127.0.0.1:${broker.serve.port}${url}`, {
        method,
        dispatcher: agentFor(partner),
        headers: {
          authorization: `Bearer ${await token(partner, role)}`,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
