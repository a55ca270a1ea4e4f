// Table types for review webhooks (migration 0012), merged into Database.
import type { ColumnType } from 'kysely';

export interface ReviewWebhooksTable {
  partner_id: string;
  url: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  partner_id: string;
  review_id: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: ColumnType<Date, Date, never>;
  finished_at: Date | null;
}

declare module '../store/schema.ts' {
  interface Database {
    review_webhooks: ReviewWebhooksTable;
    webhook_deliveries: WebhookDeliveriesTable;
  }
}
