// An operator's review webhook change: logged before it is made, with the URL's origin and path only, on every backend.
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../broker/store/database.ts';
import { changeReviewWebhook, createWebhookRegistrations } from '../../broker/webhooks/index.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { createRecordingAppender } from '../support/recording-audit.ts';

describe.each(BACKENDS)('review webhook change (%s)', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setUp() {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const audit = createRecordingAppender();
    const deps = { db: store.db, audit, logger: pino({ level: 'silent' }) };
    return { db: store.db, audit, deps, registrations: createWebhookRegistrations(store.db) };
  }

  it("logs the URL's origin and path, never its query, and registers the whole URL", async () => {
    const { audit, deps, registrations } = await setUp();
    await registrations.set('demo-ggz', 'https://ggz.example/old');
    const url = 'https://ggz.example:8443/hooks/reviews?token=s3cret-t0ken&x=1';
    expect(await changeReviewWebhook(deps, 'demo-ggz', url)).toBe(url);
    expect(await registrations.get('demo-ggz')).toBe(url);
    expect(audit.records).toEqual([
      {
        type: 'partner.review_webhook_changed',
        actor: { role: 'operator' },
        parties: ['demo-ggz'],
        details: {
          partnerId: 'demo-ggz',
          url: 'https://ggz.example:8443/hooks/reviews',
          previousUrl: 'https://ggz.example/old',
          queryOmitted: true,
        },
      },
    ]);
    expect(JSON.stringify(audit.records)).not.toContain('s3cret');
  });

  it('makes no change the disclosure log cannot record (ERR_AUDIT_UNAVAILABLE), neither a new URL nor a removal', async () => {
    const { audit, deps, registrations } = await setUp();
    await registrations.set('demo-ggz', 'https://ggz.example/hooks/reviews');
    audit.failing = true;
    await expect(
      changeReviewWebhook(deps, 'demo-ggz', 'https://elsewhere.example/hooks'),
    ).rejects.toMatchObject({
      code: 'ERR_AUDIT_UNAVAILABLE',
    });
    await expect(changeReviewWebhook(deps, 'demo-ggz', null)).rejects.toMatchObject({
      code: 'ERR_AUDIT_UNAVAILABLE',
    });
    expect(await registrations.get('demo-ggz')).toBe('https://ggz.example/hooks/reviews');
  });

  it('refuses an invalid URL or unknown partner before anything is logged', async () => {
    const { audit, deps } = await setUp();
    await expect(changeReviewWebhook(deps, 'demo-ggz', 'http://ggz.example/h')).rejects.toMatchObject({
      code: 'ERR_WEBHOOK_URL_INVALID',
    });
    await expect(changeReviewWebhook(deps, 'nobody', 'https://ggz.example/h')).rejects.toMatchObject({
      code: 'ERR_WEBHOOK_PARTNER_UNKNOWN',
    });
    expect(audit.records).toEqual([]);
  });

  it('follows a logged change the database refused with a change_failed entry', async () => {
    const { db, audit, deps, registrations } = await setUp();
    // The database refuses every write to the registrations, after the log entry committed.
    await sql`create function refuse_webhook_write() returns trigger language plpgsql as $$
      begin raise exception 'refused by test'; end $$`.execute(db);
    await sql`create trigger refuse_webhook_write before insert or update or delete on review_webhooks
      for each row execute function refuse_webhook_write()`.execute(db);
    await expect(changeReviewWebhook(deps, 'demo-ggz', 'https://ggz.example/hooks?k=v')).rejects.toThrow(
      /refused by test/,
    );
    expect(await registrations.get('demo-ggz')).toBeUndefined();
    expect(audit.records.map((r) => [r.type, r.details?.url])).toEqual([
      ['partner.review_webhook_changed', 'https://ggz.example/hooks'],
      ['partner.review_webhook_change_failed', 'https://ggz.example/hooks'],
    ]);
  });
});
