// Table types for information requests, items and reviews (migration 0005), merged into Database.
import type { ColumnType } from 'kysely';

export interface InfoRequestsTable {
  id: string;
  case_id: string;
  requester_partner_id: string;
  requester_user: string;
  requester_role: string;
  purpose: string;
  subject_pseudonym: string;
  sealed_subject: string | null;
  justification: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface RequestItemsTable {
  request_id: string;
  idx: number;
  holder_partner_id: string;
  category: string;
  outcome: 'disclosed' | 'denied' | 'pending_review' | 'refused' | 'not_found' | 'error';
  reasons: ColumnType<{ code: string; nl: string; en: string }[], string, string>;
  legal_basis: string | null;
  log_seq: number | null;
  answered_at: Date | null;
}

export interface ReviewsTable {
  id: string;
  request_id: string;
  idx: number;
  holder_partner_id: string;
  reviewer_role: string;
  category: string;
  purpose: string;
  requester_partner_id: string;
  urgent: boolean;
  basis_consent_ids: ColumnType<string[], string, never>;
  status: 'pending' | 'released' | 'refused' | 'cancelled';
  decision: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  decided_by_user: string | null;
  decided_at: Date | null;
  due_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface BreakglassReviewsTable {
  request_id: string;
  verdict: 'gerechtvaardigd' | 'niet_gerechtvaardigd';
  toelichting: string | null;
  reviewed_by_person: string;
  reviewed_at: ColumnType<Date, Date | undefined, never>;
}

declare module './schema.ts' {
  interface Database {
    breakglass_reviews: BreakglassReviewsTable;
    info_requests: InfoRequestsTable;
    request_items: RequestItemsTable;
    reviews: ReviewsTable;
  }
}
