// The database's tables as Kysely types; migrations under ./migrations create them.
import type { ColumnType, Generated } from 'kysely';

export type PartnerKind = 'ggz' | 'politie' | 'om' | 'kmar' | 'dkdb' | 'aivd' | 'veiligheidshuis';
export type IdentifierType = 'oin' | 'ura';

export interface PartnersTable {
  id: string;
  kind: PartnerKind;
  identifier_type: IdentifierType;
  identifier: string;
  /** The organisational unit (OU) separating partners under one identifier; '' when none. */
  unit: string;
  organisation: string;
  national: boolean;
  /** The partner system's public token-signing keys (a JWKS), or null until registered. */
  token_jwks: ColumnType<unknown, string | null, string | null> | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
}

export interface PeopleTable {
  id: string;
  name: string;
  partner_id: string;
  role: string;
  created_at: ColumnType<Date, never, never>;
}

/** The disclosure log (migration 0003); written only through broker/audit. */
export interface AuditEntriesTable {
  seq: number;
  recorded_at: ColumnType<Date, string, never>;
  type: string;
  confidential: boolean;
  parties: ColumnType<string[], string, never>;
  requester: string | null;
  holder: string | null;
  subject_pseudonym: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointsTable {
  tree_size: number;
  root_hash: string;
  chain_hash: string;
  frontier: ColumnType<string[], string, never>;
  issued_at: ColumnType<Date, string, never>;
  kid: string;
  jws: string;
}

export type AuditTombstonesTable = Omit<AuditCheckpointsTable, 'tree_size'> & { pruned_through: number };

export interface AuditReceiptsTable {
  id: string;
  request_id: string;
  requester: string;
  max_seq: number;
  created_at: ColumnType<Date, never, never>;
  jws: string;
}

export interface Database {
  partners: PartnersTable;
  people: PeopleTable;
  audit_entries: AuditEntriesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_tombstones: AuditTombstonesTable;
  audit_receipts: AuditReceiptsTable;
}

export type { Generated };
