// Review webhook conditions, each with a stable code.
import { SchakelError } from '../errors.ts';

/** The callback URL is not one the broker will call: HTTPS only, no credentials, no fragment. */
export class WebhookUrlInvalidError extends SchakelError {
  readonly code = 'ERR_WEBHOOK_URL_INVALID';
  readonly status = 422;
  readonly title = 'Webhook URL not acceptable';
}

/** No partner with this id is registered. */
export class WebhookPartnerUnknownError extends SchakelError {
  readonly code = 'ERR_WEBHOOK_PARTNER_UNKNOWN';
  readonly status = 404;
  readonly title = 'Partner not registered';
}
