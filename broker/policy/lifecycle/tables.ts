// Table types for the policy lifecycle (migration 0007), merged into Database.
import type { ColumnType, Generated } from 'kysely';

export type RevisionKind = 'baseline' | 'catalogue' | 'rego' | 'bundle';

export interface PolicyRevisionsTable {
  revision: string;
  kind: RevisionKind;
  description: string;
  base_revision: string | null;
  author_person: string;
  author_partner: string | null;
  bundle: string | null;
  signed_bundle: string | null;
  sources: ColumnType<unknown, string, string>;
  build: ColumnType<unknown, string, string>;
  changes: ColumnType<unknown, string, string>;
  holder_kinds: ColumnType<string[], string, string>;
  replay: ColumnType<unknown, string | null, string | null> | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface PolicyApprovalsTable {
  revision: string;
  round: number;
  person_id: string;
  partner_id: string;
  partner_kind: string;
  tests_acknowledged: boolean;
  comment: string | null;
  approved_at: ColumnType<Date, Date | undefined, never>;
}

export interface PolicyActivationsTable {
  seq: Generated<number>;
  revision: string;
  previous_revision: string | null;
  activated_by: string;
  activated_at: ColumnType<Date, Date | undefined, never>;
}

export interface PolicyDecisionInputsTable {
  id: Generated<number>;
  decided_at: Date;
  revision: string;
  request_id: string;
  requester_partner_id: string;
  requester_kind: string;
  holder_partner_id: string;
  holder_kind: string;
  category: string;
  purpose: string;
  decision: 'permit' | 'deny' | 'review';
  confidential: boolean;
  input_hash: string;
  input: ColumnType<unknown, string, never>;
}

declare module '../../store/schema.ts' {
  interface Database {
    policy_revisions: PolicyRevisionsTable;
    policy_approvals: PolicyApprovalsTable;
    policy_activations: PolicyActivationsTable;
    policy_decision_inputs: PolicyDecisionInputsTable;
  }
}
