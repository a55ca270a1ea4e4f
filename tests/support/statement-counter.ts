// Counts the statements a Kysely handle executes (each one a round trip to the database), for tests of batching.
import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../broker/store/schema.ts';

/** A handle on the same database that counts every statement executed through it. */
export interface CountingDb {
  readonly db: Kysely<Database>;
  /** Statements executed since the last reset. */
  count(): number;
  reset(): void;
}

/** @example const counting = countStatements(store.db); await run(counting.db); expect(counting.count()).toBe(1); */
export function countStatements(db: Kysely<Database>): CountingDb {
  let executed = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    // Called once per executed statement, with its result.
    transformResult: (args) => {
      executed += 1;
      return Promise.resolve(args.result);
    },
  };
  return {
    db: db.withPlugin(plugin),
    count: () => executed,
    reset: () => {
      executed = 0;
    },
  };
}
