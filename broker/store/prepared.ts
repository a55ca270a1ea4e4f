// Statements PostgreSQL parses once per connection: the request path's few fixed texts, run as named prepared statements.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Statement text to its prepared statement's name. */
const names = new Map<string, string>();

/** Names are handed out once; a process has only the few texts its modules register. */
const MAX_STATEMENTS = 64;

/**
 * Marks a statement text as one the PostgreSQL driver prepares on each connection the first time it
 * runs there and then only binds and executes: PostgreSQL skips parsing, analysing and (once it
 * settles on a generic plan) planning it. For texts that never change and that run many times, such
 * as the request path's batched statements; their result columns are named in the text, so a
 * migration that adds columns cannot change a prepared statement's result. Returns the text.
 * PGlite runs every statement as before.
 *
 * @throws Error when more than 64 texts are registered (a text built per call must not be registered).
 * @example const FIND_SQL = preparedStatement(`select ... from unnest($1::text[]) ...`);
 */
export function preparedStatement(text: string): string {
  if (!names.has(text)) {
    if (names.size >= MAX_STATEMENTS) throw new Error('too many prepared statement texts registered');
    names.set(text, `schakel_${names.size + 1}`);
  }
  return text;
}

/**
 * Wraps a pg pool for Kysely: statements registered with preparedStatement run as named prepared
 * statements, every other statement as before (one wrapper per pg client, as Kysely keys its
 * connections by client).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrapped.get(client);
      if (wrapper === undefined) {
        // Set when a prepared statement of this connection went stale: it is then closed, not pooled.
        let stale: Error | undefined;
        // Kysely passes a text and its values, or a cursor (a submittable) on its own.
        const query = (text: string, values?: unknown[]) => {
          const name = typeof text === 'string' ? names.get(text) : undefined;
          if (name === undefined || values === undefined) return client.query(text, values);
          return client.query({ name, text, values }).catch((error: unknown) => {
            if (isStalePlan(error)) stale = error as Error;
            throw error;
          });
        };
        // A client released with an error is closed by the pool: its successor prepares afresh.
        const release = () => client.release(stale);
        wrapper = { query: query as unknown as PostgresPoolClient['query'], release };
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/**
 * PostgreSQL's refusal to run a prepared statement whose result type a schema change altered (a
 * migration applied while this process runs). The statement stays refused on that connection for
 * as long as it lives, so the connection is closed instead of going back to the pool.
 */
function isStalePlan(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === '0A000' &&
    /cached plan must not change result type/.test(error.message)
  );
}
