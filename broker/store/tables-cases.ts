// Table types for cases, members, case events and consents (migration 0004), merged into Database.
import type { ColumnType, Generated } from 'kysely';

export interface CasesTable {
  id: string;
  subject_pseudonym: string;
  status: 'open' | 'closed';
  phase: 'melding' | 'informatie' | 'aanpak' | 'monitoring' | 'gesloten';
  lead_partner_id: string;
  emergency: boolean;
  takeover_due_at: Date | null;
  opened_by_user: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  closed_at: Date | null;
}

export interface CaseMembersTable {
  case_id: string;
  partner_id: string;
  role: string;
  added_by_user: string;
  added_at: ColumnType<Date, Date | undefined, never>;
}

export interface CaseEventsTable {
  seq: Generated<number>;
  id: string;
  case_id: string;
  type: string;
  data: ColumnType<Record<string, unknown>, string, never>;
  medical: boolean;
  recorded_by_partner: string;
  recorded_by_user: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface ConsentsTable {
  id: string;
  subject_pseudonym: string;
  holder_partner_id: string;
  granted_by: 'betrokkene' | 'vertegenwoordiger';
  evidence: string;
  recipients: ColumnType<string[], string, never>;
  purposes: ColumnType<string[], string, never>;
  categories: ColumnType<string[], string, never>;
  valid_from: Date;
  valid_until: Date;
  recorded_by_user: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
  withdrawn_at: Date | null;
  withdrawn_by_user: string | null;
}

declare module './schema.ts' {
  interface Database {
    cases: CasesTable;
    case_members: CaseMembersTable;
    case_events: CaseEventsTable;
    consents: ConsentsTable;
  }
}
