// Sets or removes a holder's review webhook for `schakel partners update --review-webhook URL | --no-review-webhook`.
import { createRuntimeLogger, loadRuntimeConfig, openAuditAppender, openConfiguredStore } from '../main.ts';
import { migrate } from '../store/database.ts';
import { createWebhookRegistrations } from '../webhooks/index.ts';

/**
 * Registers (or with null removes) the partner's review webhook and records the change in the
 * disclosure log (`partner.review_webhook_changed`, readable by that partner and the auditor).
 *
 * @throws WebhookUrlInvalidError (ERR_WEBHOOK_URL_INVALID), WebhookPartnerUnknownError (ERR_WEBHOOK_PARTNER_UNKNOWN)
 */
export async function setReviewWebhook(partnerId: string, url: string | null): Promise<string | null> {
  const config = loadRuntimeConfig();
  const store = await openConfiguredStore(config);
  try {
    await migrate(store.db);
    const registrations = createWebhookRegistrations(store.db);
    await registrations.set(partnerId, url);
    const stored = (await registrations.get(partnerId)) ?? null;
    await openAuditAppender(store, createRuntimeLogger(config), config).append({
      type: 'partner.review_webhook_changed',
      actor: { role: 'operator' },
      parties: [partnerId],
      details: { partnerId, url: stored },
    });
    return stored;
  } finally {
    await store.close();
  }
}
