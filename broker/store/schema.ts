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

export interface Database {
  partners: PartnersTable;
  people: PeopleTable;
}

export type { Generated };
