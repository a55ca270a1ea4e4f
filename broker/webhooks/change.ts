// An operator's change of a holder's review webhook: logged first (URL as origin and path only), then made.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AuditAppender } from '../audit/contract.ts';
import type { Database } from '../store/schema.ts';
import { createWebhookRegistrations, loggableWebhookUrl } from './registrations.ts';

export interface ReviewWebhookChangeDeps {
  readonly db: Kysely<Database>;
  /** The disclosure log. */
  readonly audit: AuditAppender;
  /** The ops log, told when a failed change cannot be recorded either. */
  readonly logger: Logger;
}

/**
 * Sets (or with null removes) a partner's review webhook. The change is checked, then recorded in
 * the disclosure log (`partner.review_webhook_changed`, readable by that partner and the auditor),
 * and only then made: a change the log cannot record is not made. The log keeps the URL's origin
 * and path, never its query (it may carry the receiver's token). If the database then fails, a
 * `partner.review_webhook_change_failed` entry follows. Returns the registered URL (null: none).
 *
 * @throws WebhookUrlInvalidError (ERR_WEBHOOK_URL_INVALID), WebhookPartnerUnknownError
 *   (ERR_WEBHOOK_PARTNER_UNKNOWN), ERR_AUDIT_UNAVAILABLE (nothing changed)
 * @example await changeReviewWebhook({ db: store.db, audit, logger }, 'demo-ggz', 'https://ggz.example/hooks/reviews');
 */
export async function changeReviewWebhook(
  deps: ReviewWebhookChangeDeps,
  partnerId: string,
  raw: string | null,
): Promise<string | null> {
  const registrations = createWebhookRegistrations(deps.db);
  const url = await registrations.check(partnerId, raw);
  const previous = await registrations.get(partnerId);
  const logged = (u: string | null | undefined) =>
    u === null || u === undefined ? null : loggableWebhookUrl(u);
  const record = { actor: { role: 'operator' }, parties: [partnerId] } as const;
  // NOTE: the log entry commits before the change is made.
  await deps.audit.append({
    ...record,
    type: 'partner.review_webhook_changed',
    details: {
      partnerId,
      url: logged(url),
      previousUrl: logged(previous),
      ...(url !== null && new URL(url).search !== '' ? { queryOmitted: true } : {}),
    },
  });
  try {
    await registrations.set(partnerId, url);
  } catch (error) {
    // The log already says changed: say that it did not happen.
    await deps.audit
      .append({
        ...record,
        type: 'partner.review_webhook_change_failed',
        details: { partnerId, url: logged(url), reason: 'the database did not record the change' },
      })
      .catch((appendError: unknown) =>
        deps.logger.error(
          { err: appendError, partner: partnerId },
          'the disclosure log says this review webhook was changed, but the change failed and that ' +
            'could not be logged: the previous registration stands',
        ),
      );
    throw error;
  }
  return url;
}
