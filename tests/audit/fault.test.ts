// Fault test: PostgreSQL stopped mid-load; 503 while down, recovery without restart, no acknowledged entry lost.
import { sql } from 'kysely';
import { Hono } from 'hono';
import { describe, expect } from 'vitest';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { commitBeforeRelease } from '../../broker/audit/release.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { problemResponse } from '../../broker/http/problem.ts';
import { migrate, openStore } from '../../broker/store/database.ts';
import { createThrowawayCluster } from './pg-cluster.ts';
import { itWithPostgres, sampleRecord } from './support.ts';

describe('the log when PostgreSQL goes away', () => {
  itWithPostgres(
    'answers 503 while the database is down, recovers by itself, and every 200 has its entry',
    async () => {
      const cluster = await createThrowawayCluster();
      try {
        const store = await openStore({ kind: 'postgres', url: cluster.url, poolSize: 4 });
        await migrate(store.db);
        const keyring = await loadKeyring(await generateKeyringFile());
        const log = createAuditLog({ db: store.db, keyring, maxBatch: 200 });
        // A stand-in for the request flow: the answer is written only after the entry is committed.
        const app = new Hono<AppEnv>();
        let n = 0;
        app.post('/disclose', async (c) => {
          const [entry] = await commitBeforeRelease(log, [sampleRecord(n++)]);
          return c.json({ seq: entry!.seq });
        });
        app.onError((error, c) => problemResponse(c, error));

        const answered: number[] = [];
        const statuses = new Map<number, number>();
        let phase: 'up' | 'down' | 'recovered' = 'up';
        const codesWhileDown = new Set<string>();
        const client = async () => {
          while (phase !== 'recovered' || answered.length < 1500) {
            const res = await app.request('/disclose', { method: 'POST' });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 200) answered.push(((await res.json()) as { seq: number }).seq);
            else {
              expect(res.status).toBe(503);
              if (phase === 'down') codesWhileDown.add(((await res.json()) as { code: string }).code);
            }
            if (phase === 'down') await new Promise((r) => setTimeout(r, 10));
          }
        };
        const clients = Array.from({ length: 16 }, () => client());
        while (answered.length < 500) await new Promise((r) => setTimeout(r, 10));
        cluster.stop();
        phase = 'down';
        await new Promise((r) => setTimeout(r, 1_000));
        const answeredWhileDown = answered.length;
        await new Promise((r) => setTimeout(r, 500));
        expect(answered.length).toBe(answeredWhileDown);
        cluster.start();
        phase = 'recovered';
        await Promise.all(clients);

        expect(codesWhileDown).toEqual(new Set(['ERR_AUDIT_UNAVAILABLE']));
        expect(statuses.get(503)).toBeGreaterThan(0);
        const present = new Set(
          (await sql<{ seq: number }>`select seq from audit_entries`.execute(store.db)).rows.map((r) =>
            Number(r.seq),
          ),
        );
        expect(answered.filter((seq) => !present.has(seq))).toEqual([]);
        expect(await verifyLog({ db: store.db, jwks: keyring.jwks })).toMatchObject({ ok: true });
        await log.close();
        await store.close();
      } finally {
        cluster.destroy();
      }
    },
    90_000,
  );
});
