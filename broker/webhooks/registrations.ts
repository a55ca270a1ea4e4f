// Holders' review webhook registrations: one HTTPS callback URL per partner, set by the operator.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { WebhookPartnerUnknownError, WebhookUrlInvalidError } from './errors.ts';

/**
 * Checks a callback URL: absolute https, a host, no user or password, no fragment, at most 2048
 * characters. Returns the normalised URL.
 *
 * @throws WebhookUrlInvalidError (ERR_WEBHOOK_URL_INVALID)
 */
export function checkWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlInvalidError('The review webhook must be an absolute https:// URL.');
  }
  if (url.protocol !== 'https:') {
    throw new WebhookUrlInvalidError(
      'The review webhook must use https (it is called with the broker certificate).',
    );
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.hash !== '' ||
    raw.length > 2048 ||
    url.hostname === ''
  ) {
    throw new WebhookUrlInvalidError(
      'The review webhook URL may carry no credentials or fragment (at most 2048 characters).',
    );
  }
  return url.toString();
}

/**
 * The part of a callback URL the disclosure log keeps: origin and path. A query may carry a token
 * for the receiver; the validator already refuses credentials and a fragment.
 */
export function loggableWebhookUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** Reads and changes the registrations. */
export interface WebhookRegistrations {
  /**
   * Checks a change without making it: the partner exists and the URL is acceptable. Returns the
   * normalised URL (null for a removal).
   *
   * @throws ERR_WEBHOOK_URL_INVALID, ERR_WEBHOOK_PARTNER_UNKNOWN
   */
  check(partnerId: string, url: string | null): Promise<string | null>;
  /** Sets (or, with null, removes) a partner's review webhook. @throws ERR_WEBHOOK_URL_INVALID, ERR_WEBHOOK_PARTNER_UNKNOWN */
  set(partnerId: string, url: string | null): Promise<void>;
  /** The partner's callback URL, if any. */
  get(partnerId: string): Promise<string | undefined>;
}

/** @example const registrations = createWebhookRegistrations(store.db); await registrations.set('demo-ggz', 'https://ggz.example/hooks/reviews'); */
export function createWebhookRegistrations(db: Kysely<Database>): WebhookRegistrations {
  async function check(partnerId: string, raw: string | null): Promise<string | null> {
    const partner = await db
      .selectFrom('partners')
      .select('id')
      .where('id', '=', partnerId)
      .executeTakeFirst();
    if (partner === undefined) throw new WebhookPartnerUnknownError(`No partner ${partnerId} is registered.`);
    return raw === null ? null : checkWebhookUrl(raw);
  }
  return {
    check,
    async set(partnerId, raw) {
      const url = await check(partnerId, raw);
      if (url === null) {
        await db.deleteFrom('review_webhooks').where('partner_id', '=', partnerId).execute();
        return;
      }
      await db
        .insertInto('review_webhooks')
        .values({ partner_id: partnerId, url })
        .onConflict((oc) => oc.column('partner_id').doUpdateSet({ url, updated_at: new Date() }))
        .execute();
    },
    async get(partnerId) {
      const row = await db
        .selectFrom('review_webhooks')
        .select('url')
        .where('partner_id', '=', partnerId)
        .executeTakeFirst();
      return row?.url;
    },
  };
}
