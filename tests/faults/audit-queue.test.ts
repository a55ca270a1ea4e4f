// Fault test: a full log queue refuses new work with 503 ERR_AUDIT_UNAVAILABLE at once, never grows, and drains by itself.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceAdapter } from '../../adapters/reference/reference-source.ts';
import { DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { AuditUnavailableError } from '../../broker/audit/errors.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { sampleRecord } from '../audit/support.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { openFlowFixture, REGISSEUR, type FlowFixture, type FlowItem } from './flow-fixture.ts';

describe.each(BACKENDS)('the log queue bound on %s', (backend) => {
  it('refuses records beyond maxQueue at once, commits the queued ones, and takes new work after draining', async () => {
    const store = await openTestStore(backend);
    const keyring = await loadKeyring(await generateKeyringFile());
    const overloads: number[] = [];
    const log = createAuditLog({
      db: store.db,
      keyring,
      maxQueue: 5,
      onOverload: (pending) => overloads.push(pending),
    });
    try {
      // One turn of the event loop: nothing can drain in between, so the bound alone decides.
      const burst = Array.from({ length: 8 }, (_, i) => log.append(sampleRecord(i)));
      expect(log.pending).toBe(5);
      const settled = await Promise.allSettled(burst);
      expect(settled.slice(0, 5).every((s) => s.status === 'fulfilled')).toBe(true);
      for (const s of settled.slice(5)) {
        expect(s.status).toBe('rejected');
        const reason = (s as PromiseRejectedResult).reason as AuditUnavailableError;
        expect(reason).toBeInstanceOf(AuditUnavailableError);
        expect(reason).toMatchObject({ code: 'ERR_AUDIT_UNAVAILABLE', status: 503 });
        expect(reason.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/) });
      }
      expect(overloads).toEqual([5, 5, 5]);

      const after = await log.append(sampleRecord(99));
      expect(after.seq).toBe(6);
      const rows = await sql<{ n: number }>`select count(*) as n from audit_entries`.execute(store.db);
      expect(Number(rows.rows[0]!.n)).toBe(6);
      expect(await verifyLog({ db: store.db, jwks: keyring.jwks })).toMatchObject({ ok: true });
    } finally {
      await log.close();
      await store.close();
    }
  });
});

// Holding the log's append lock from another session stalls commits, as a slow or locked database
// would. PGlite has one connection, so this runs on PostgreSQL only.
describe.skipIf(!BACKENDS.includes('postgres'))('information requests while the log queue is full', () => {
  const MAX_QUEUE = 3;
  let fixture: FlowFixture;
  let appends = 0;

  beforeAll(async () => {
    const om = createReferenceAdapter(['om.strafzaken'], DEMO_DATA);
    fixture = await openFlowFixture({
      backend: 'postgres',
      adapters: (holder) => (holder === 'demo-om' ? om : undefined),
      maxQueue: MAX_QUEUE,
      countAppends: () => (appends += 1),
    });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('answers 503 ERR_AUDIT_UNAVAILABLE with Retry-After and nothing disclosed, then recovers without restart', async () => {
    const caseId = await fixture.includedCase();
    const ask = () =>
      fixture.call(REGISSEUR, 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: '111222333' },
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken'],
      });
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((r) => setImmediate(r));
    };

    let releaseLock: () => void = () => undefined;
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = fixture.store.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(hashtext('schakel.audit.append'))`.execute(conn);
      locked();
      await new Promise<void>((r) => (releaseLock = r));
      await sql`select pg_advisory_unlock(hashtext('schakel.audit.append'))`.execute(conn);
    });
    await isLocked;

    // The first request's entry is taken into a transaction that waits for the lock ...
    const base = appends;
    const stalled = [ask()];
    await until(() => appends === base + 1 && fixture.log.pending === 0);
    // ... the next ones fill the queue to its bound, and the rest are refused at once.
    for (let i = 0; i < 6; i++) stalled.push(ask());
    await until(() => appends === base + 7);
    expect(fixture.log.pending).toBe(MAX_QUEUE);
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({ code: 'ERR_AUDIT_UNAVAILABLE' });
    expect(refused.body.items).toBeUndefined();
    expect(fixture.log.pending).toBe(MAX_QUEUE);

    releaseLock();
    await holder;
    const answers = await Promise.all(stalled);
    const ok = answers.filter((a) => a.status === 200);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(ok).toHaveLength(1 + MAX_QUEUE);
    expect(unavailable).toHaveLength(6 - MAX_QUEUE);
    for (const a of unavailable) expect(a.body).toMatchObject({ code: 'ERR_AUDIT_UNAVAILABLE' });
    // Every answered disclosure has its committed entry and a receipt covering it.
    for (const a of ok) {
      expect((a.body.items as FlowItem[])[0]).toMatchObject({ outcome: 'disclosed' });
      expect(await fixture.committedOutcomes(a.body.id as string)).toEqual(['disclosed']);
      const receipt = await fixture.verifyReceipt(a.body.receipt as string);
      expect(receipt.items).toMatchObject([{ category: 'om.strafzaken' }]);
    }

    // Recovery without restart.
    const later = await ask();
    expect(later.status).toBe(200);
    expect((later.body.items as FlowItem[])[0]).toMatchObject({ outcome: 'disclosed' });
    expect(await fixture.verify()).toMatchObject({ ok: true });
  });
});
