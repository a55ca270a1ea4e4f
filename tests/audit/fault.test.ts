// Fault test: PostgreSQL stopped mid-load; 503 while down, recovery without restart, every 200 committed at the seq it was told.
import { Hono } from 'hono';
import { describe, expect, onTestFinished } from 'vitest';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { commitBeforeRelease } from '../../broker/audit/release.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { problemResponse } from '../../broker/http/problem.ts';
import { migrate, openStore } from '../../broker/store/database.ts';
import { createThrowawayCluster } from './pg-cluster.ts';
import {
  aheadProbe,
  itWithPostgres,
  sampleRecord,
  unrecorded,
  waitUntil,
  type Acknowledged,
} from './support.ts';

describe('the log when PostgreSQL goes away', () => {
  itWithPostgres(
    'answers 503 while the database is down, recovers by itself, and every 200 has its entry at the seq it was told',
    async () => {
      const cluster = await createThrowawayCluster();
      // Also when vitest gives up on the test: no cluster is left running.
      onTestFinished(() => cluster.destroy());
      const store = await openStore({ kind: 'postgres', url: cluster.url, poolSize: 4 });
      const keyring = await loadKeyring(await generateKeyringFile());
      // Batches of 4 for 16 clients: more records wait than one batch takes, so the next batch is
      // chained while one is written (the appender's "ahead" path) and is in flight when PostgreSQL goes.
      const probe = aheadProbe();
      const log = createAuditLog({
        db: store.db,
        keyring,
        maxBatch: 4,
        now: probe.now,
        onCommit: probe.onCommit,
      });
      let running = true;
      const clients: Promise<void>[] = [];
      try {
        await migrate(store.db);
        // A stand-in for the request flow: the answer is written only after the entry is committed.
        const app = new Hono<AppEnv>();
        app.post('/disclose', async (c) => {
          const transactionId = c.req.header('x-transaction-id')!;
          const [entry] = await commitBeforeRelease(log, [sampleRecord(0, { transactionId })]);
          return c.json({ seq: entry!.seq });
        });
        app.onError((error, c) => problemResponse(c, error));

        const answered: Acknowledged[] = [];
        const statuses = new Map<number, number>();
        const unexpected: string[] = [];
        let phase: 'up' | 'down' | 'recovered' = 'up';
        const codesWhileDown = new Set<string>();
        const client = async (id: number) => {
          for (let i = 0; running && (phase !== 'recovered' || answered.length < 1500); i++) {
            const transactionId = `c${id}-${i}`;
            const res = await app.request('/disclose', {
              method: 'POST',
              headers: { 'x-transaction-id': transactionId },
            });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 200) {
              answered.push({ seq: ((await res.json()) as { seq: number }).seq, transactionId });
            } else if (res.status !== 503) {
              unexpected.push(`${res.status} ${await res.text()}`);
            } else if (phase === 'down') {
              codesWhileDown.add(((await res.json()) as { code: string }).code);
            }
            // NOTE: yield to the event loop every time: a log that refuses at once (no I/O) would
            // otherwise keep these loops in microtasks, and no timer, not even vitest's, would fire.
            await new Promise((r) => (phase === 'down' ? setTimeout(r, 10) : setImmediate(r)));
          }
        };
        for (let id = 0; id < 16; id++) clients.push(client(id));
        const progress = () =>
          `${answered.length} answered, statuses ${JSON.stringify([...statuses])}, phase ${phase}`;
        await waitUntil(() => answered.length >= 500, 20_000, progress);
        cluster.stop();
        phase = 'down';
        await new Promise((r) => setTimeout(r, 1_000));
        const answeredWhileDown = answered.length;
        await new Promise((r) => setTimeout(r, 500));
        expect(answered.length).toBe(answeredWhileDown);
        cluster.start();
        phase = 'recovered';
        await waitUntil(() => answered.length >= 1500, 30_000, progress);
        running = false;
        await Promise.all(clients);

        expect(unexpected).toEqual([]);
        expect(codesWhileDown).toEqual(new Set(['ERR_AUDIT_UNAVAILABLE']));
        expect(statuses.get(503)).toBeGreaterThan(0);
        expect(await unrecorded(store.db, answered)).toEqual([]);
        expect(probe.batches()).toBeGreaterThan(0);
        expect(await verifyLog({ db: store.db, jwks: keyring.jwks })).toMatchObject({ ok: true });
      } finally {
        running = false;
        // Bounded: a test that failed still stops its clients, its pool and its cluster.
        await Promise.race([
          Promise.allSettled([...clients, log.close()]).then(() => store.close()),
          new Promise((r) => setTimeout(r, 10_000)),
        ]);
        cluster.destroy();
      }
    },
    90_000,
  );
});
