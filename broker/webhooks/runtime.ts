// Starts review webhooks for the composition root: the outbox hook for new reviews and the delivery worker.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { NewReview } from '../requests/request-service.ts';
import type { Database } from '../store/schema.ts';
import { createWebhookDeliverer } from './deliverer.ts';
import { createHttpsTransport } from './https-transport.ts';
import { createWebhookOutbox } from './outbox.ts';
import { createNoticeSigner } from './signer.ts';

export interface ReviewWebhookSettings {
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/** Running review webhooks. */
export interface ReviewWebhooks {
  /** The request flow's hook; undefined when webhooks are off. */
  readonly onReviewCreated: ((trx: Kysely<Database>, review: NewReview) => Promise<unknown>) | undefined;
  stop(): Promise<void>;
}

/**
 * Without the broker's client certificate (PEM, read by main.ts from SCHAKEL_ADAPTER_CLIENT_CERT_FILE
 * and _KEY_FILE) webhooks are off: no notice is queued, and start-up says so. With it, new reviews of
 * holders with a registered webhook are queued in their transaction and delivered by the worker.
 *
 * @example const webhooks = startReviewWebhooks({ db, keyring: audit.keyring, logger, settings: config.webhooks, client });
 */
export function startReviewWebhooks(options: {
  readonly db: Kysely<Database>;
  readonly keyring: { readonly activeKid: string; readonly signingKey: CryptoKey };
  readonly logger: Logger;
  readonly settings: ReviewWebhookSettings;
  readonly client: { readonly cert: string; readonly key: string; readonly ca?: string } | undefined;
}): ReviewWebhooks {
  if (options.client === undefined) {
    options.logger.info(
      'review webhooks are off: they are sent with the broker client certificate (SCHAKEL_ADAPTER_CLIENT_CERT_FILE)',
    );
    return { onReviewCreated: undefined, stop: () => Promise.resolve() };
  }
  const log = options.logger.child({ component: 'review-webhooks' });
  const outbox = createWebhookOutbox({ maxQueue: options.settings.maxQueue, logger: log });
  const https = createHttpsTransport(options.client);
  const deliverer = createWebhookDeliverer({
    db: options.db,
    transport: https.send,
    sign: createNoticeSigner(options.keyring),
    logger: log,
    ...options.settings,
  });
  deliverer.start();
  return {
    onReviewCreated: (trx, review) =>
      outbox.enqueue(trx, {
        reviewId: review.id,
        holderPartnerId: review.holderPartnerId,
        category: review.category,
        dueAt: review.dueAt,
      }),
    async stop() {
      await deliverer.stop();
      await https.close();
    },
  };
}
