// Stores answered requests (request, items, reviews, receipt): one statement per turn of the event loop, not per request.
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { preparedStatement } from '../store/prepared.ts';
import type { AuditReceiptsTable, Database } from '../store/schema.ts';
import type { InfoRequestsTable, RequestItemsTable, ReviewsTable } from '../store/tables-requests.ts';

/** What one request stores besides its log entries. */
export interface RequestRows {
  /** The request, unless it is stored already (break-glass). */
  readonly request: Insertable<InfoRequestsTable> | undefined;
  readonly items: readonly Insertable<RequestItemsTable>[];
  readonly reviews: readonly Insertable<ReviewsTable>[];
  readonly receipt: Insertable<AuditReceiptsTable> | undefined;
}

/**
 * Every column written, per table, with the expression that turns its text (`%`) into the column's
 * value. Typed by the table, so a column added to a table fails the type check until it is written
 * here too: nothing is dropped silently. Defaults are the database's, as an insert without the column.
 */
const REQUEST_COLUMNS: Record<keyof Insertable<InfoRequestsTable>, string> = {
  id: '%',
  case_id: '%',
  requester_partner_id: '%',
  requester_user: '%',
  requester_role: '%',
  purpose: '%',
  subject_pseudonym: '%',
  sealed_subject: '%',
  justification: '%',
  created_at: 'coalesce(%::timestamptz, now())',
};
const ITEM_COLUMNS: Record<keyof Insertable<RequestItemsTable>, string> = {
  request_id: '%',
  idx: '%::integer',
  holder_partner_id: '%',
  category: '%',
  outcome: '%',
  reasons: '%::jsonb',
  legal_basis: '%',
  log_seq: '%::bigint',
  answered_at: '%::timestamptz',
};
const REVIEW_COLUMNS: Record<keyof Insertable<ReviewsTable>, string> = {
  id: '%',
  request_id: '%',
  idx: '%::integer',
  holder_partner_id: '%',
  reviewer_role: '%',
  category: '%',
  purpose: '%',
  requester_partner_id: '%',
  urgent: 'coalesce(%::boolean, false)',
  basis_consent_ids: '%::jsonb',
  status: '%',
  decision: '%::jsonb',
  decided_by_user: '%',
  decided_at: '%::timestamptz',
  due_at: '%::timestamptz',
  created_at: 'coalesce(%::timestamptz, now())',
};
const RECEIPT_COLUMNS: Record<keyof Insertable<AuditReceiptsTable>, string> = {
  id: '%',
  request_id: '%',
  requester: '%',
  max_seq: '%::bigint',
  jws: '%',
};

const TABLES = [
  { table: 'info_requests', columns: REQUEST_COLUMNS },
  { table: 'request_items', columns: ITEM_COLUMNS },
  { table: 'reviews', columns: REVIEW_COLUMNS },
  { table: 'audit_receipts', columns: RECEIPT_COLUMNS },
] as const;

/**
 * One statement for any number of requests: a data-modifying WITH per table over text arrays, one
 * array per column. One round trip and one commit, atomic without a transaction; the foreign keys to
 * the requests are checked at its end. Its text never changes, so it is written out once here and
 * prepared once per connection.
 */
const INSERT_SQL = preparedStatement(
  (() => {
    let n = 0;
    const parts = TABLES.map(({ table, columns }) => {
      const names = Object.keys(columns);
      const arrays = names.map(() => `$${++n}::text[]`);
      const values = Object.values(columns).map((expression, i) => expression.replace('%', `t.${names[i]!}`));
      return `insert into ${table} (${names.join(', ')})
      select ${values.join(', ')} from unnest(${arrays.join(', ')}) as t(${names.join(', ')})`;
    });
    const last = parts.pop()!;
    return `with ${parts.map((part, i) => `part_${i} as (${part})`).join(', ')} ${last}`;
  })(),
);

/** A value as the text its column's expression reads; null stays null (the default, if the column has one). */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // JSON columns arrive as text (JSON.stringify) already; anything else is a programming error.
  throw new TypeError(`cannot store a ${typeof value} as a column's text`);
}

/** The statement's parameters: per table, per column, the rows of every request in order. */
function parameters(batch: readonly RequestRows[]): (string | null)[][] {
  const rows: readonly (readonly object[])[] = [
    batch.flatMap((r) => (r.request === undefined ? [] : [r.request])),
    batch.flatMap((r) => r.items),
    batch.flatMap((r) => r.reviews),
    batch.flatMap((r) => (r.receipt === undefined ? [] : [r.receipt])),
  ];
  return TABLES.flatMap(({ columns }, t) =>
    Object.keys(columns).map((column) =>
      rows[t]!.map((row) => text((row as Record<string, unknown>)[column])),
    ),
  );
}

/**
 * Stores the rows of these requests in one statement: all of them or none.
 *
 * @example await insertRequests(trx, [rows]);
 */
export async function insertRequests(db: Kysely<Database>, batch: readonly RequestRows[]): Promise<void> {
  if (batch.length === 0) return;
  await db.executeQuery(CompiledQuery.raw(INSERT_SQL, parameters(batch)));
}

/** Stores requests, sharing statements between the requests answered in the same turn of the event loop. */
export interface RequestWriter {
  /** Resolves once this request's rows are committed; rejects when they could not be stored. */
  store(rows: RequestRows): Promise<void>;
}

/** At most this many requests share one statement. */
const MAX_BATCH = 200;

/**
 * Whether the database refused the rows themselves (a constraint, a value), as opposed to the
 * connection or the server failing (SQLSTATE classes 08, 53, 57, 58, or no SQLSTATE at all).
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}

/**
 * Stores every request handed over in one turn of the event loop with one statement (group commit,
 * as the log does), each caller answered only after that statement committed. When a shared
 * statement is refused for its data, each of its requests is tried again alone, one after the
 * other, so one request's bad row (or a conflict) fails only that request; when the connection or
 * the server fails, each fails at once.
 *
 * @example const writer = createRequestWriter(db); await writer.store(rows);
 */
export function createRequestWriter(db: Kysely<Database>): RequestWriter {
  type Pending = { rows: RequestRows; resolve: () => void; reject: (error: unknown) => void };
  let pending: Pending[] = [];

  async function write(batch: readonly Pending[]): Promise<void> {
    try {
      await insertRequests(
        db,
        batch.map((p) => p.rows),
      );
      for (const p of batch) p.resolve();
      return;
    } catch (error) {
      if (batch.length === 1 || !isDataError(error)) {
        // The database is gone or refusing work: trying each request again would only queue as
        // many statements on a pool that cannot serve them.
        for (const p of batch) p.reject(error);
        return;
      }
    }
    // Nothing of the shared statement was stored: it is atomic. One request's row was refused, so
    // each is tried alone, one after the other (not all at once on the pool).
    for (const p of batch) {
      try {
        await insertRequests(db, [p.rows]);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  }

  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) void write(batch);
  };

  return {
    store(rows) {
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ rows, resolve, reject });
        if (pending.length >= MAX_BATCH) flush();
      });
    },
  };
}
