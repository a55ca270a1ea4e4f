// Reads and replaces the reference records a holder delivered as an extract (table reference_records).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import './tables-reference.ts';

/** One canonical record of an extract, keyed by the subject's pseudonym. */
export interface ReferenceRow {
  readonly category: string;
  readonly subjectPseudonym: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** The reference store as adapters and the import command see it. */
export interface ReferenceRecords {
  /** The holder's record for a category about a subject, under any of its pseudonyms (key rotation). */
  find(
    holder: string,
    category: string,
    pseudonyms: readonly string[],
  ): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** How many records the holder has in the store (any category). */
  count(holder: string): Promise<number>;
  /**
   * Replaces, in one transaction, everything the holder delivered before for `categories` with
   * `rows`: an extract is a snapshot, so a person missing from the new one is no longer known.
   */
  replace(
    holder: string,
    importId: string,
    categories: readonly string[],
    rows: readonly ReferenceRow[],
  ): Promise<{ removed: number; stored: number }>;
}

/** @example const records = createReferenceRecords(store.db); await records.find('demo-politie', 'politie.registraties', p) */
export function createReferenceRecords(db: Kysely<Database>): ReferenceRecords {
  return {
    async find(holder, category, pseudonyms) {
      if (pseudonyms.length === 0) return undefined;
      const row = await db
        .selectFrom('reference_records')
        .select('record')
        .where('holder_partner_id', '=', holder)
        .where('category', '=', category)
        .where('subject_pseudonym', 'in', [...pseudonyms])
        .orderBy('imported_at', 'desc')
        .executeTakeFirst();
      return row?.record;
    },
    async count(holder) {
      const row = await db
        .selectFrom('reference_records')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('holder_partner_id', '=', holder)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async replace(holder, importId, categories, rows) {
      return db.transaction().execute(async (tx) => {
        const removed =
          categories.length === 0
            ? []
            : await tx
                .deleteFrom('reference_records')
                .where('holder_partner_id', '=', holder)
                .where('category', 'in', [...categories])
                .returning('category')
                .execute();
        // Chunks keep each statement's parameter count well under PostgreSQL's limit.
        for (let i = 0; i < rows.length; i += 500) {
          await tx
            .insertInto('reference_records')
            .values(
              rows.slice(i, i + 500).map((r) => ({
                holder_partner_id: holder,
                category: r.category,
                subject_pseudonym: r.subjectPseudonym,
                record: JSON.stringify(r.record),
                import_id: importId,
              })),
            )
            .execute();
        }
        return { removed: removed.length, stored: rows.length };
      });
    },
  };
}
