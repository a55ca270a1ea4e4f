// Adapts PGlite (one in-process connection) to the small pool interface Kysely's Postgres dialect expects.
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS = new Set<string>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE']);

/**
 * A pool of exactly one connection. `connect()` waits until the previous holder released it, so a
 * transaction's statements never interleave with another caller's on PGlite's single session.
 */
export function createPglitePool(pglite: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      let released = false;
      const client = {
        async query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          const result = await pglite.query<R>(sqlText, [...parameters]);
          const keyword = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase() ?? 'SELECT';
          // WITH ... INSERT and similar are rare here; Kysely only needs the command for row counts.
          const command = (COMMANDS.has(keyword) ? keyword : 'SELECT') as Command;
          return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
        },
        release(): void {
          if (released) return;
          released = true;
          release();
        },
      };
      return client as PostgresPoolClient;
    },
    async end(): Promise<void> {
      await tail;
      await pglite.close();
    },
  };
}
