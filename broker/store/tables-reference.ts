// Table types for reference records (migration 0011), merged into Database.
import type { ColumnType } from 'kysely';

export interface ReferenceRecordsTable {
  holder_partner_id: string;
  category: string;
  subject_pseudonym: string;
  record: ColumnType<Record<string, unknown>, string, string>;
  import_id: string;
  imported_at: ColumnType<Date, Date | undefined, Date | undefined>;
}

declare module './schema.ts' {
  interface Database {
    reference_records: ReferenceRecordsTable;
  }
}
