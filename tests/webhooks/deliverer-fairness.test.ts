// A holder whose receiver hangs delays no other holder's review notices, and ties up a bounded number of attempts, on every backend.
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyringFile, loadKeyring, type Keyring } from '../../broker/audit/keyring.ts';
import type { Store } from '../../broker/store/database.ts';
import {
  createNoticeSigner,
  createWebhookDeliverer,
  createWebhookOutbox,
  createWebhookRegistrations,
  type WebhookDeliverer,
  type WebhookTransport,
} from '../../broker/webhooks/index.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';

/**
 * A transport double: receivers of the `hanging` holders never answer (until `release()`, or the
 * attempt's signal aborts); the others answer 204. It counts attempts in flight, per holder and in all.
 */
function receivers(hanging: readonly string[]) {
  const waiting = new Set<() => void>();
  const inFlight = new Map<string, number>();
  const peak = { total: 0, byHolder: new Map<string, number>() };
  const delivered: string[] = [];
  const watchers: { test: () => boolean; resolve: () => void }[] = [];
  let released = false;
  const total = () => [...inFlight.values()].reduce((a, b) => a + b, 0);
  const notify = () => {
    for (const w of [...watchers]) {
      if (w.test()) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const holderOf = (url: string) => new URL(url).hostname.split('.')[0]!;
  const transport: WebhookTransport = (url, _body, headers, signal) => {
    const holder = holderOf(url);
    if (!hanging.includes(holder) || released) {
      delivered.push(`${holder}:${headers['x-schakel-delivery']}`);
      notify();
      return Promise.resolve(204);
    }
    inFlight.set(holder, (inFlight.get(holder) ?? 0) + 1);
    peak.byHolder.set(holder, Math.max(peak.byHolder.get(holder) ?? 0, inFlight.get(holder)!));
    peak.total = Math.max(peak.total, total());
    notify();
    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const done = () => {
        if (settled) return false;
        settled = true;
        waiting.delete(answer);
        inFlight.set(holder, inFlight.get(holder)! - 1);
        return true;
      };
      const answer = () => {
        if (done()) resolve(503);
      };
      waiting.add(answer);
      signal.addEventListener('abort', () => {
        if (done()) reject(signal.reason as Error);
      });
    });
  };
  return {
    transport,
    peak,
    delivered,
    inFlightTotal: total,
    /** Resolves once `test` holds (checked after each call to the transport). */
    until: (test: () => boolean) =>
      test() ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ test, resolve })),
    /** The hanging receivers answer 503 to what they hold and at once from now on. */
    release: () => {
      released = true;
      for (const answer of [...waiting]) answer();
    },
  };
}

describe.each(BACKENDS)('review webhook delivery under a hanging receiver (%s)', (backend) => {
  let keyring: Keyring;
  beforeAll(async () => {
    keyring = await loadKeyring(await generateKeyringFile());
  });

  let store: Store | undefined;
  let deliverer: WebhookDeliverer | undefined;
  let release: (() => void) | undefined;
  afterEach(async () => {
    release?.();
    await deliverer?.stop();
    await store?.close();
    store = deliverer = release = undefined;
  });

  async function setUp(hanging: readonly string[], limits: { concurrency: number; perPartner: number }) {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const registrations = createWebhookRegistrations(store.db);
    for (const holder of ['ggz', 'aivd', 'om']) {
      await registrations.set(`demo-${holder}`, `https://${holder}.example/hooks/reviews`);
    }
    const clock = new Date('2026-12-01T09:00:00Z');
    const outbox = createWebhookOutbox({
      maxQueue: 100,
      logger: pino({ level: 'silent' }),
      now: () => clock,
    });
    const db = store.db;
    let n = 0;
    const notify = async (holder: string, count = 1) => {
      for (let i = 0; i < count; i++) {
        await outbox.enqueue(db, {
          reviewId: `review-${holder}-${++n}`,
          holderPartnerId: `demo-${holder}`,
          category: 'ggz.bekend',
          dueAt: new Date('2026-12-04T09:00:00Z'),
        });
      }
    };
    const r = receivers(hanging);
    release = r.release;
    deliverer = createWebhookDeliverer({
      db,
      transport: r.transport,
      sign: createNoticeSigner(keyring),
      logger: pino({ level: 'silent' }),
      maxAttempts: 8,
      backoffMs: 5_000,
      // Longer than the test may run: a hanging receiver is not rescued by its timeout here.
      timeoutMs: 600_000,
      pollMs: 5,
      now: () => clock,
      ...limits,
    });
    return { db, notify, receivers: r, deliverer };
  }

  it("delivers another holder's notice while one holder's receiver hangs, with at most two of that holder's attempts in flight", async () => {
    const { db, notify, receivers, deliverer } = await setUp(['ggz'], { concurrency: 20, perPartner: 2 });
    await notify('ggz', 25);
    deliverer.start();
    // demo-ggz's receiver takes its attempts and does not answer.
    await receivers.until(() => receivers.inFlightTotal() >= 2);
    // A review for demo-aivd after that: the next round sends it without waiting for demo-ggz.
    await notify('aivd');
    await receivers.until(() => receivers.delivered.some((d) => d.startsWith('aivd:')));
    expect(receivers.peak.byHolder.get('ggz')).toBe(2);
    receivers.release();
    await deliverer.stop();
    const aivd = await db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('partner_id', '=', 'demo-aivd')
      .execute();
    expect(aivd).toEqual([{ status: 'delivered', attempts: 1 }]);
    // No demo-ggz notice was lost: every one is still pending or delivered, none given up.
    const ggz = await db
      .selectFrom('webhook_deliveries')
      .select('status')
      .where('partner_id', '=', 'demo-ggz')
      .execute();
    expect(ggz).toHaveLength(25);
    expect(ggz.filter((r) => r.status === 'failed')).toEqual([]);
  }, 30_000);

  it('starts no attempt beyond the total limit while hanging receivers hold every slot', async () => {
    const { notify, receivers, deliverer } = await setUp(['ggz', 'aivd', 'om'], {
      concurrency: 4,
      perPartner: 2,
    });
    await notify('ggz', 5);
    await notify('aivd', 5);
    await notify('om', 5);
    // A round that is not awaited: its attempts hang.
    void deliverer.runOnce();
    await receivers.until(() => receivers.inFlightTotal() === 4);
    // The next round finds every slot taken, so it starts nothing and returns at once.
    expect(await deliverer.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receivers.peak.total).toBe(4);
    expect(Math.max(...receivers.peak.byHolder.values())).toBe(2);
  }, 30_000);

  it('ends an attempt whose receiver never answers at its time limit, even when the transport ignores its signal', async () => {
    const { db, notify } = await setUp([], { concurrency: 2, perPartner: 2 });
    await notify('ggz');
    const quick = createWebhookDeliverer({
      db,
      transport: () => new Promise<number>(() => {}),
      sign: createNoticeSigner(keyring),
      logger: pino({ level: 'silent' }),
      maxAttempts: 8,
      backoffMs: 5_000,
      timeoutMs: 50,
      pollMs: 1_000,
      now: () => new Date('2026-12-01T09:00:00Z'),
    });
    expect(await quick.runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const row = await db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'TIMEOUT' });
  }, 30_000);
});
