// The log's fault and crash tests, with disclosed data: `schakel serve` on PostgreSQL under request load, the
// database stopped mid-load or the broker killed at random moments; no client ever holds data whose entry is not committed.
import path from 'node:path';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { APPEND_LOCK } from '../../broker/audit/head.ts';
import { openStore } from '../../broker/store/database.ts';
import { createScratchDatabase, scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { partnerClients } from '../e2e/partner-client.ts';
import { createThrowawayCluster } from './pg-cluster.ts';
import { openLoadCase, startRequestLoad, uncommitted, LOAD_BSN } from './request-load.ts';
import { itWithPostgres } from './support.ts';

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const untilAsync = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const serveEnv = (url: string) => ({
  SCHAKEL_DATABASE_URL: url,
  SCHAKEL_DEMO: 'true',
  SCHAKEL_LOG_PRETTY: 'false',
  SCHAKEL_LOG_LEVEL: 'warn',
  // One partner's closed loops, fast 503s while the database is down: this is about the log, not the
  // per-partner rate limit (tests/faults covers that), so the limit stays out of the way.
  SCHAKEL_RATE_PER_SECOND: '100000',
  SCHAKEL_RATE_BURST: '100000',
});

describe('disclosed data when the log cannot be written', () => {
  itWithPostgres(
    'with PostgreSQL stopped mid-load, no client receives data whose entry is not in the log afterwards',
    async () => {
      const cluster = await createThrowawayCluster();
      const cwd = scratchDir('disclosure-fault');
      let broker: ServeHandle | undefined;
      try {
        broker = await startServe({ cwd, env: serveEnv(cluster.url), timeoutMs: 60_000 });
        const clients = partnerClients(path.join(cwd, 'var/pki'), broker.port);
        const caseId = await openLoadCase(clients);
        const load = startRequestLoad(clients, caseId, 8);
        await until(() => load.received.length >= 100, 30_000, 'load before the stop');
        // Hold the log's append lock, as another appender would, until a log write waits for it: the
        // requests in flight then have the log write as their next database operation, and the stop
        // fails it (ERR_AUDIT_UNAVAILABLE) rather than an earlier read (ERR_DATABASE_UNAVAILABLE).
        const appender = new pg.Client({ connectionString: cluster.url });
        appender.on('error', () => undefined); // its connection dies with the cluster
        await appender.connect();
        await appender.query('select pg_advisory_lock(hashtext($1))', [APPEND_LOCK]);
        await untilAsync(
          async () => {
            const { rows } = await appender.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and wait_event = 'advisory' and pid <> pg_backend_pid()`,
            );
            return rows[0]!.n > 0;
          },
          30_000,
          'a log write waiting for the append lock',
        );
        cluster.stop();
        void appender.end().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1_000));
        const whileDown = load.received.length;
        await new Promise((r) => setTimeout(r, 500));
        // Nothing is disclosed while the log cannot be written.
        expect(load.received.length).toBe(whileDown);
        cluster.start();
        // The broker recovers by itself, without a restart.
        await until(() => load.received.length >= whileDown + 100, 30_000, 'recovery');
        await load.stop();
        await clients.close();

        expect(load.violations).toEqual([]);
        expect(load.statuses.get(503)).toBeGreaterThan(0);
        // While the database is down the broker says so (503), never 500, and never sends data:
        // the log's own refusal for the writes it had under way, the database's for later requests.
        expect(
          [...load.problems.keys()].filter(
            (p) => p !== '503 ERR_AUDIT_UNAVAILABLE' && p !== '503 ERR_DATABASE_UNAVAILABLE',
          ),
        ).toEqual([]);
        expect(
          load.problems.get('503 ERR_AUDIT_UNAVAILABLE'),
          JSON.stringify([...load.problems]),
        ).toBeGreaterThan(0);
        expect([...load.statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
        const store = await openStore({ kind: 'postgres', url: cluster.url, poolSize: 2 });
        try {
          expect(await uncommitted(store.db, load.received)).toEqual([]);
        } finally {
          await store.close();
        }
        console.log(
          `disclosure fault: ${load.received.length} answers with data, statuses ${JSON.stringify([...load.statuses])}, problems ${JSON.stringify([...load.problems])}`,
        );
        expect(await broker.stop('SIGTERM')).toBe(0);
        const verify = await runSchakel(['audit', 'verify'], { cwd, env: serveEnv(cluster.url) });
        expect(verify.code, verify.stdout + verify.stderr).toBe(0);
        expect(broker.output()).not.toContain(LOAD_BSN);
      } finally {
        await broker?.stop('SIGKILL');
        cluster.destroy();
      }
    },
    150_000,
  );

  itWithPostgres(
    'with the broker killed at random moments under load, every receipt a client received is committed and the chain verifies after restart',
    async (adminUrl) => {
      const database = await createScratchDatabase(adminUrl, 'schakel_crash');
      const url = new URL(database.url);
      const cwd = scratchDir('disclosure-crash');
      let broker: ServeHandle | undefined;
      try {
        let caseId = '';
        const received: Parameters<typeof uncommitted>[1][number][] = [];
        for (let round = 0; round < 3; round++) {
          broker = await startServe({ cwd, env: serveEnv(url.toString()), timeoutMs: 60_000 });
          const clients = partnerClients(path.join(cwd, 'var/pki'), broker.port);
          if (caseId === '') caseId = await openLoadCase(clients);
          const load = startRequestLoad(clients, caseId, 8);
          await until(() => load.received.length >= 50, 30_000, `load in round ${round}`);
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 500)));
          await broker.stop('SIGKILL');
          await load.stop();
          await clients.close();
          expect(load.violations).toEqual([]);
          received.push(...load.received);
        }
        expect(received.length).toBeGreaterThanOrEqual(150);
        // After the last crash the broker starts again on the same log.
        broker = await startServe({ cwd, env: serveEnv(url.toString()), timeoutMs: 60_000 });
        expect(await broker.stop('SIGTERM')).toBe(0);
        const store = await openStore({ kind: 'postgres', url: url.toString(), poolSize: 2 });
        try {
          expect(await uncommitted(store.db, received)).toEqual([]);
        } finally {
          await store.close();
        }
        console.log(`disclosure crash: ${received.length} answers with data over 3 SIGKILLs, all committed`);
        const verify = await runSchakel(['audit', 'verify'], { cwd, env: serveEnv(url.toString()) });
        expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      } finally {
        await broker?.stop('SIGKILL');
        await database.drop();
      }
    },
    180_000,
  );
});
