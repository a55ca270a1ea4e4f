// The appender chains the next batch while one is written: that chain is used only after the head it follows, never after another writer's or a failed batch.
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { BACKENDS } from '../support/databases.ts';
import { appendMany, openAuditFixture, type AuditFixture } from './support.ts';

/** Runs `after` once, when the n-th statement (counted from 1) has been executed and before its caller sees the result. */
function afterStatement(n: number, after: () => Promise<void>): KyselyPlugin {
  let statements = 0;
  let done = false;
  return {
    transformQuery(args) {
      statements++;
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (statements === n && !done) {
        done = true;
        await after();
      }
      return args.result;
    },
  };
}

const seqsOf = (entries: readonly { seq: number }[]) => entries.map((e) => e.seq).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(BACKENDS)('batches chained ahead on %s', (backend) => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await openAuditFixture(backend);
    await f.log.close();
  });
  afterEach(async () => {
    await f.close();
  });

  // The other writer appends while the first still holds its connection: PGlite has only one.
  it.runIf(backend === 'postgres')(
    'chains again after the head when another writer appended while a batch was being written',
    async () => {
      const other = createAuditLog({ db: f.store.db, keyring: f.keyring });
      // Statements 1-3: the first batch under the lock (lock, head, insert). Statement 4 is the first
      // batch after the known head; while it runs, the second batch is chained after its head, and
      // then the other writer appends (seq 7) before the first writer learns its batch committed.
      const plugin = afterStatement(4, async () => {
        await appendMany(other, 1, 100);
      });
      const log = createAuditLog({ db: f.store.db.withPlugin(plugin), keyring: f.keyring, maxBatch: 5 });
      await appendMany(log, 1);
      const entries = await appendMany(log, 15, 1);
      expect(seqsOf(entries)).toEqual([...range(2, 6), ...range(8, 17)]);
      const { rows } = await sql<{
        seq: number;
        body: string;
      }>`select seq, body from audit_entries where seq = 7`.execute(f.store.db);
      expect(rows[0]!.body).toContain('"transactionId":"tx-100"');
      expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
        ok: true,
        lastSeq: 17,
      });
      await log.close();
      await other.close();
    },
  );

  it('does not use the batch chained ahead when the batch before it failed, and commits it after the head read anew', async () => {
    const plugin = afterStatement(4, () =>
      Promise.reject(new Error('connection lost before the commit was confirmed')),
    );
    const log = createAuditLog({ db: f.store.db.withPlugin(plugin), keyring: f.keyring, maxBatch: 5 });
    await appendMany(log, 1);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => log.append({ type: 'disclosure', transactionId: `tx-${i + 1}` })),
    );
    // The first batch did commit, but its callers cannot know: they are refused. The second batch
    // follows it, chained after the head read under the lock.
    expect(results.slice(0, 5).every((r) => r.status === 'rejected')).toBe(true);
    expect(
      results.slice(0, 5).map((r) => ((r as PromiseRejectedResult).reason as { code?: string }).code),
    ).toEqual(Array(5).fill('ERR_AUDIT_UNAVAILABLE'));
    expect(seqsOf(results.slice(5).map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value))).toEqual(
      range(7, 11),
    );
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({
      ok: true,
      lastSeq: 11,
    });
    await log.close();
  });
});
