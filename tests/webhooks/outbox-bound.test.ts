// The outbox's queue bound is per holder: one holder whose endpoint is down cannot crowd out the others, on every backend.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../broker/store/database.ts';
import { createWebhookOutbox, createWebhookRegistrations } from '../../broker/webhooks/index.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe.each(BACKENDS)('review webhook queue bound (%s)', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setUp(maxQueue: number) {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const registrations = createWebhookRegistrations(store.db);
    await registrations.set('demo-ggz', 'https://ggz.example/hooks/reviews');
    await registrations.set('demo-aivd', 'https://aivd.example/hooks/reviews');
    const { logger, lines } = memoryLogger();
    const outbox = createWebhookOutbox({ maxQueue, logger, now: () => new Date('2026-12-01T09:00:00Z') });
    const db = store.db;
    let n = 0;
    const notify = (holderPartnerId: string) =>
      outbox.enqueue(db, {
        reviewId: `review-${holderPartnerId}-${++n}`,
        holderPartnerId,
        category: holderPartnerId === 'demo-ggz' ? 'ggz.bekend' : 'aivd.bekend',
        dueAt: new Date('2026-12-04T09:00:00Z'),
      });
    const pendingOf = async (partner: string) =>
      (
        await db
          .selectFrom('webhook_deliveries')
          .select('review_id')
          .where('partner_id', '=', partner)
          .where('status', '=', 'pending')
          .orderBy('review_id')
          .execute()
      ).map((r) => r.review_id);
    return { db, lines, notify, pendingOf };
  }

  it("queues another holder's notice when one holder's queue is full, and drops only the full holder's", async () => {
    const { lines, notify, pendingOf } = await setUp(2);
    // demo-ggz's receiver is down: its notices stay pending until its queue is full.
    expect(await notify('demo-ggz')).toBe(true);
    expect(await notify('demo-ggz')).toBe(true);
    expect(await notify('demo-ggz')).toBe(false);
    // demo-aivd is not held back by demo-ggz's backlog.
    expect(await notify('demo-aivd')).toBe(true);
    expect(await notify('demo-aivd')).toBe(true);
    expect(await notify('demo-aivd')).toBe(false);
    expect(await pendingOf('demo-ggz')).toEqual(['review-demo-ggz-1', 'review-demo-ggz-2']);
    expect(await pendingOf('demo-aivd')).toEqual(['review-demo-aivd-4', 'review-demo-aivd-5']);
    // Each drop is visible: one warning per dropped notice, with ids and counts only.
    const drops = lines.filter((l) => l.msg === 'review webhook queue full: notice dropped');
    expect(drops.map((l) => [l.level, l.partner, l.reviewId, l.pending, l.maxQueue])).toEqual([
      [40, 'demo-ggz', 'review-demo-ggz-3', 2, 2],
      [40, 'demo-aivd', 'review-demo-aivd-6', 2, 2],
    ]);
    expect(JSON.stringify(drops)).not.toMatch(/ggz\.bekend|aivd\.bekend|https:/);
  });

  it('counts only pending notices toward the bound: a delivered or failed notice frees its place', async () => {
    const { db, notify, pendingOf } = await setUp(2);
    await notify('demo-ggz');
    await notify('demo-ggz');
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered' })
      .where('review_id', '=', 'review-demo-ggz-1')
      .execute();
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed' })
      .where('review_id', '=', 'review-demo-ggz-2')
      .execute();
    expect(await notify('demo-ggz')).toBe(true);
    expect(await notify('demo-ggz')).toBe(true);
    expect(await notify('demo-ggz')).toBe(false);
    expect(await pendingOf('demo-ggz')).toEqual(['review-demo-ggz-3', 'review-demo-ggz-4']);
  });
});
