// Reads and replaces the reference records a holder delivered as an extract (table reference_records).
import { CompiledQuery, type Kysely } from 'kysely';
import { preparedStatement } from './prepared.ts';
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

/** At most this many finds share one statement. */
const MAX_BATCH = 500;

/** The newest record per find (its position in the batch) under any of the subject's pseudonyms. */
const FIND_SQL = preparedStatement(`
  select distinct on (k.key) k.key, r.record
  from unnest($1::int[], $2::text[], $3::text[], $4::text[]) as k(key, holder, category, pseudonym)
  join reference_records r
    on r.holder_partner_id = k.holder and r.category = k.category and r.subject_pseudonym = k.pseudonym
  order by k.key, r.imported_at desc`);

/** One waiting `find`: its key and how to settle it. */
interface PendingFind {
  readonly holder: string;
  readonly category: string;
  readonly pseudonyms: readonly string[];
  readonly resolve: (record: Readonly<Record<string, unknown>> | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Answers every find of one batch with one statement: the newest record per (holder, category)
 * under any of the subject's pseudonyms, keyed by the find's position in the batch.
 */
async function findBatch(db: Kysely<Database>, batch: readonly PendingFind[]): Promise<void> {
  const keys: number[] = [];
  const holders: string[] = [];
  const categories: string[] = [];
  const pseudonyms: string[] = [];
  batch.forEach((find, i) => {
    for (const pseudonym of find.pseudonyms) {
      keys.push(i);
      holders.push(find.holder);
      categories.push(find.category);
      pseudonyms.push(pseudonym);
    }
  });
  try {
    const { rows } = await db.executeQuery<{ key: number; record: Record<string, unknown> }>(
      CompiledQuery.raw(FIND_SQL, [keys, holders, categories, pseudonyms]),
    );
    const found = new Map(rows.map((row) => [Number(row.key), row.record]));
    batch.forEach((find, i) => find.resolve(found.get(i)));
  } catch (error) {
    for (const find of batch) find.reject(error);
  }
}

/**
 * The reference store over the database. The finds made in one turn of the event loop (every
 * permitted item of a request, and of the requests answered in the same turn) are read in one
 * statement at the end of that turn: one round trip instead of one per item. Nothing is kept
 * between batches: every find reads the database after it is made.
 *
 * @example const records = createReferenceRecords(store.db); await records.find('demo-politie', 'politie.registraties', p)
 */
export function createReferenceRecords(db: Kysely<Database>): ReferenceRecords {
  let pending: PendingFind[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) void findBatch(db, batch);
  };
  return {
    find(holder, category, pseudonyms) {
      if (pseudonyms.length === 0) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ holder, category, pseudonyms: [...pseudonyms], resolve, reject });
        if (pending.length >= MAX_BATCH) flush();
      });
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
