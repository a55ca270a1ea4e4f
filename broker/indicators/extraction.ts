// One extraction's transactions: the views materialised per connection, the indicators shared out over connections reading one snapshot.
import { sql, type Kysely } from 'kysely';
import { ClientClosedError } from '../errors.ts';
import type { Database } from '../store/schema.ts';
import { exportSnapshot, importSnapshot } from '../store/snapshot.ts';
import { MATERIALISED, aggregateAll } from './aggregate.ts';
import type { Catalogue } from './catalogue.ts';
import type { RawCell } from './cells.ts';
import { IndicatorQueryError } from './errors.ts';
import { readOnly } from './observations.ts';
import type { TemplateValues } from './template.ts';
import { createViewTables, fillViewTables, type ViewDefinition } from './views.ts';

export interface ExtractionOptions {
  readonly db: Kysely<Database>;
  readonly catalogue: Catalogue;
  readonly values: TemplateValues;
  readonly periods: readonly { readonly start: string; readonly label: string }[];
  /**
   * Connections to compute on at once (PostgreSQL only: PGlite has one connection). Each one
   * materialises the views itself, in a read-only transaction that imports the first one's snapshot.
   */
  readonly connections: number;
  /**
   * Aborted when nobody waits for the result any more (the client closed the connection): no
   * further indicator is started and the transactions end, rather than keeping connections of the
   * pool busy for a report no one reads.
   */
  readonly signal?: AbortSignal;
}

/** Raw cells by indicator id. */
export type ExtractedCells = ReadonlyMap<string, readonly RawCell[]>;

/**
 * Computes every indicator's raw cells, then runs `finish` in the (first) transaction, which is
 * still open: all transactions read the same snapshot. Indicators are taken one at a time from a
 * shared queue by whichever connection is free.
 *
 * @throws IndicatorQueryError (ERR_INDICATOR_QUERY) naming the view or indicator whose query failed;
 *   ClientClosedError (ERR_CLIENT_CLOSED) when `signal` was aborted.
 */
export async function extract<T>(
  options: ExtractionOptions,
  finish: (trx: Kysely<Database>, cells: ExtractedCells) => Promise<T>,
): Promise<T> {
  return run(options, Math.max(1, Math.floor(options.connections)), finish);
}

async function run<T>(
  options: ExtractionOptions,
  connections: number,
  finish: (trx: Kysely<Database>, cells: ExtractedCells) => Promise<T>,
): Promise<T> {
  const views = options.catalogue.viewDefinitions;
  const pending = [...options.catalogue.indicators];
  const cells = new Map<string, RawCell[]>();
  let failed = false;
  // A function, not a narrowed value: the signal may abort during any await.
  const clientGone = () => options.signal?.aborted === true;
  const work = async (trx: Kysely<Database>) => {
    for (let next = pending.shift(); next !== undefined && !failed; next = pending.shift()) {
      if (clientGone()) {
        failed = true;
        throw new ClientClosedError('the client closed the request: the extraction was stopped');
      }
      try {
        const one = await aggregateAll(trx, MATERIALISED, [next], options.values, options.periods);
        cells.set(next.id, one.get(next.id) ?? []);
      } catch (error) {
        failed = true;
        if (error instanceof IndicatorQueryError) throw error;
        throw new IndicatorQueryError(`${next.id}: the query failed`, { cause: error });
      }
    }
  };
  return readOnly(
    options.db,
    async (trx) => {
      if (clientGone()) throw new ClientClosedError('the client closed the request');
      await prepareReading(trx, views);
      // The views take the longest: a client gone meanwhile starts no helper connection.
      if (clientGone()) throw new ClientClosedError('the client closed the request');
      const helpers: { started: boolean; done: Promise<void> }[] = [];
      if (connections > 1) {
        const snapshot = await exportSnapshot(trx);
        for (let n = 1; n < connections; n++) {
          const state = { started: false, done: Promise.resolve() };
          const begin = () => (state.started = pending.length > 0 && !failed && !clientGone());
          state.done = helper(options.db, snapshot, views, begin, work);
          // One that never began is not awaited; it ends at once when it gets a connection.
          state.done.catch(() => undefined);
          helpers.push(state);
        }
      }
      const mine = await Promise.allSettled([work(trx)]);
      // The queue is empty (or an indicator failed), so no helper begins after this. Those that
      // began read this transaction's snapshot and end before it. Waiting for the others could wait
      // for ever: PGlite's one connection, or a pool busy with other extractions.
      const theirs = await Promise.allSettled(helpers.filter((h) => h.started).map((h) => h.done));
      const rejected = [...mine, ...theirs].find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected !== undefined) throw rejected.reason;
      return finish(trx, cells);
    },
    {
      prepare: (trx) => createViewTables(trx, views),
      // One snapshot for the whole extraction, also on one connection: under read committed each
      // statement would see what committed since the view tables were filled, and an indicator could
      // join those tables with newer events.
      isolation: 'repeatable read',
    },
  );
}

/**
 * Settings for this transaction only, then the views filled. JIT compilation of these short
 * analytic statements cost more than it saved (3.2 s of compiling for a 0.5 s statement, I21 on
 * 2,000 cases); with the default 4 MB of work memory the per-person aggregations spilled to disk.
 */
async function prepareReading(trx: Kysely<Database>, views: readonly ViewDefinition[]) {
  await sql`set local jit = off`.execute(trx);
  await sql`set local work_mem = '64MB'`.execute(trx);
  // Each view is computed once per connection, not once per indicator that reads it.
  await fillViewTables(trx, views);
}

/**
 * A further connection's transaction: the first one's snapshot, its own view tables, then work.
 * `begin` says whether there is still work (the pool may hand the connection over late).
 */
async function helper(
  db: Kysely<Database>,
  snapshot: string,
  views: readonly ViewDefinition[],
  begin: () => boolean,
  work: (trx: Kysely<Database>) => Promise<void>,
) {
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      if (!begin()) return;
      // Importing the snapshot must be the transaction's first statement.
      await importSnapshot(trx, snapshot);
      await createViewTables(trx, views);
      await sql`set transaction read only`.execute(trx);
      await prepareReading(trx, views);
      await work(trx);
    });
}
