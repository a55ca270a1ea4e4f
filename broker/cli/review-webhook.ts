// Sets or removes a holder's review webhook for `schakel partners update --review-webhook URL | --no-review-webhook`.
import { createRuntimeLogger, loadRuntimeConfig, openAuditAppender, openConfiguredStore } from '../main.ts';
import { migrate } from '../store/database.ts';
import { changeReviewWebhook } from '../webhooks/index.ts';

/**
 * Registers (or with null removes) the partner's review webhook, recording the change in the
 * disclosure log first (`partner.review_webhook_changed`, readable by that partner and the auditor;
 * the URL as origin and path only).
 *
 * @throws WebhookUrlInvalidError (ERR_WEBHOOK_URL_INVALID), WebhookPartnerUnknownError (ERR_WEBHOOK_PARTNER_UNKNOWN)
 */
export async function setReviewWebhook(partnerId: string, url: string | null): Promise<string | null> {
  const config = loadRuntimeConfig();
  const store = await openConfiguredStore(config);
  try {
    await migrate(store.db);
    const logger = createRuntimeLogger(config);
    return await changeReviewWebhook(
      { db: store.db, audit: openAuditAppender(store, logger, config), logger },
      partnerId,
      url,
    );
  } finally {
    await store.close();
  }
}
