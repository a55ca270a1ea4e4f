// The recorder of retained decision inputs: batches in the background and holds a bounded number in memory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../broker/logger.ts';
import { createInputRecorder } from '../../broker/policy/lifecycle/index.ts';
import { FREE_TEXT_PLACEHOLDER } from '../../broker/policy/lifecycle/retained-inputs.ts';
import { loadPolicyEngine } from '../../broker/policy/index.ts';
import { policyInputHash } from '../../broker/policy/input-hash.ts';
import { DEFAULT_BUNDLE_FILE } from '../../broker/policy/paths.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { scenarioInput } from './lifecycle-fixture.ts';

const INPUT = scenarioInput('ntk: politie gets om criminal cases (wjsg_39f)');
const DECISION = (await loadPolicyEngine(readFileSync(DEFAULT_BUNDLE_FILE), 'committed')).decide(INPUT);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function retainedCount(store: Store): Promise<number> {
  const row = await sql<{ n: string }>`select count(*)::text as n from policy_decision_inputs`.execute(
    store.db,
  );
  return Number(row.rows[0]!.n);
}

describe.each(BACKENDS)('retained decision inputs on %s', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('writes the inputs of many turns and flush waits for all of them', async () => {
    store = await openTestStore(backend);
    const recorder = createInputRecorder({
      db: store.db,
      logger: createLogger({ level: 'silent' }),
      retentionDays: 90,
      maxBatch: 7,
    });
    for (let turn = 0; turn < 10; turn++) {
      for (let i = 0; i < 5; i++) recorder.record({ ...INPUT, request_id: `r-${turn}-${i}` }, DECISION);
      await nextTurn();
    }
    await recorder.flush();
    expect(recorder.pending()).toBe(0);
    expect(await retainedCount(store)).toBe(50);
  });

  it("keeps each input's hash as the decision's log entry names it: SHA-256 of its RFC 8785 form", async () => {
    store = await openTestStore(backend);
    const recorder = createInputRecorder({
      db: store.db,
      logger: createLogger({ level: 'silent' }),
      retentionDays: 90,
    });
    const input = { ...INPUT, request_id: 'r-hash' };
    recorder.record(input, DECISION);
    await recorder.flush();
    const { default: reference } = (await import('canonicalize')) as unknown as {
      default: (value: unknown) => string;
    };
    const expected = createHash('sha256').update(reference(input)).digest('hex');
    const row = await sql<{ h: string }>`select input_hash as h from policy_decision_inputs`.execute(
      store.db,
    );
    expect(row.rows.map((r) => r.h)).toEqual([expected]);
    expect(policyInputHash(input)).toBe(expected);
  });

  it('stores each input with its own columns in one batch, free text replaced', async () => {
    store = await openTestStore(backend);
    const recorder = createInputRecorder({
      db: store.db,
      logger: createLogger({ level: 'silent' }),
      retentionDays: 90,
    });
    const inputs = Array.from({ length: 9 }, (_, i) => ({
      ...INPUT,
      request_id: `r-row-${i}`,
      now_ms: INPUT.now_ms + i * 1000,
      justification: i % 3 === 0 ? `dreiging ${i}` : i % 3 === 1 ? '  ' : null,
    }));
    for (const input of inputs) recorder.record(input, DECISION);
    await recorder.flush();
    const { rows } = await sql<{ request_id: string; decided_at: Date; input_hash: string; input: unknown }>`
      select request_id, decided_at, input_hash, input from policy_decision_inputs order by request_id`.execute(
      store.db,
    );
    expect(rows).toHaveLength(9);
    for (const [i, input] of inputs.entries()) {
      const row = rows.find((r) => r.request_id === input.request_id)!;
      expect(new Date(row.decided_at).getTime()).toBe(input.now_ms);
      expect(row.input_hash).toBe(policyInputHash(input));
      expect(row.input).toEqual({
        ...input,
        justification: i % 3 === 0 ? FREE_TEXT_PLACEHOLDER : i % 3 === 1 ? '' : null,
      });
    }
  });

  it('holds at most maxQueued inputs in memory while the database is slow, over many turns', async () => {
    store = await openTestStore(backend);
    const db = store.db;
    const recorder = createInputRecorder({
      db,
      logger: createLogger({ level: 'silent' }),
      retentionDays: 90,
      maxQueued: 20,
    });
    // A lock holds every insert until released: the database is "slow" for as long as it is held.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`lock table policy_decision_inputs in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    for (let turn = 0; turn < 10; turn++) {
      for (let i = 0; i < 5; i++) recorder.record({ ...INPUT, request_id: `r-${turn}-${i}` }, DECISION);
      await nextTurn();
      expect(recorder.pending()).toBeLessThanOrEqual(20);
    }
    release();
    await holder;
    await recorder.flush();
    expect(await retainedCount(store)).toBe(20);
  });
});
