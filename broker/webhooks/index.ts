// The door of broker/webhooks: review notices to holders (registrations, outbox, signer, delivery worker, HTTPS transport).
export {
  checkWebhookUrl,
  createWebhookRegistrations,
  loggableWebhookUrl,
  type WebhookRegistrations,
} from './registrations.ts';
export { changeReviewWebhook, type ReviewWebhookChangeDeps } from './change.ts';
export { createWebhookOutbox, type ReviewNotice, type WebhookOutbox } from './outbox.ts';
export { createNoticeSigner, REVIEW_NOTICE_TYP, type NoticeSigner } from './signer.ts';
export {
  createWebhookDeliverer,
  retryDelayMs,
  type DeliveryRound,
  type WebhookDeliverer,
} from './deliverer.ts';
export { createHttpsTransport, type WebhookTransport } from './https-transport.ts';
export { WebhookPartnerUnknownError, WebhookUrlInvalidError } from './errors.ts';
export { startReviewWebhooks, type ReviewWebhooks, type ReviewWebhookSettings } from './runtime.ts';
