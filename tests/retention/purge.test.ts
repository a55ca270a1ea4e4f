// `retention purge` on every backend with a frozen clock: what is past its period goes, the rest and the disclosure log stay.
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import { createAuditLog, type AuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring, type Keyring } from '../../broker/audit/keyring.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { purgeExpired, type RetentionPeriods } from '../../broker/retention/index.ts';
import { BACKENDS } from '../support/databases.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, type Harness } from '../requests/harness.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-05T09:00:00Z');
const PERIODS: RetentionPeriods = { caseDays: 100, consentDays: 30, reviewDays: 60, policyInputDays: 90 };
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const regisseur = asPartner('demo-politie', 'casusregisseur');
const behandelaar = asPartner('demo-ggz', 'behandelaar');

describe.each(BACKENDS)('retention purge (%s)', (backend) => {
  let harness: Harness;
  let log: AuditLog;
  let keyring: Keyring;

  beforeEach(async () => {
    // Only Date is frozen: the database driver's own timers keep running.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    harness = await createHarness(backend);
    keyring = await loadKeyring(await generateKeyringFile());
    log = createAuditLog({ db: harness.store.db, keyring });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await log.close();
    await harness.close();
  });

  const call = (...args: Parameters<Harness['call']>) => harness.call(...args);
  const count = async (table: string) =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(harness.store.db))
        .rows[0]!.n,
    );

  /** A case with a GGZ review decided at once; closed `closeAfterDays` later (or left open). */
  async function caseWithDecidedReview(
    closeAfterDays: number | undefined,
  ): Promise<{ caseId: string; reviewId: string }> {
    const caseId = await harness.includedCase();
    const asked = await call(regisseur, 'POST', '/v1/requests', {
      caseId,
      subject: { bsn: DEMO_BSN },
      purpose: 'risicotaxatie',
      categories: ['ggz.bekend', 'om.strafzaken'],
    });
    expect(asked.status).toBe(200);
    const reviews = (await call(behandelaar, 'GET', '/v1/reviews')).body as unknown as {
      id: string;
      requestId: string;
    }[];
    const review = reviews.find((r) => r.requestId === asked.body.id)!;
    const decided = await call(behandelaar, 'POST', `/v1/reviews/${review.id}/decision`, {
      decision: 'refuse',
      redenCode: 'geen_grond',
    });
    expect(decided.status).toBe(200);
    if (closeAfterDays !== undefined) {
      vi.setSystemTime(at(closeAfterDays));
      const closed = await call(regisseur, 'POST', `/v1/cases/${caseId}/events`, {
        type: 'zaak_gesloten',
        data: { redenCode: 'dreiging_weggenomen' },
      });
      expect(closed.status).toBe(201);
      vi.setSystemTime(T0);
    }
    return { caseId, reviewId: review.id };
  }

  async function consent(validDays: number, withdrawAfterDays?: number): Promise<string> {
    const recorded = await call(behandelaar, 'POST', '/v1/consents', {
      subject: { bsn: DEMO_BSN },
      grantedBy: 'betrokkene',
      evidence: 'formulier',
      recipients: ['om'],
      purposes: ['monitoring'],
      categories: ['ggz.bekend'],
      validFrom: T0.toISOString(),
      validUntil: at(validDays).toISOString(),
    });
    expect(recorded.status).toBe(201);
    const id = recorded.body.id as string;
    if (withdrawAfterDays !== undefined) {
      vi.setSystemTime(at(withdrawAfterDays));
      expect((await call(behandelaar, 'DELETE', `/v1/consents/${id}`)).status).toBe(204);
      vi.setSystemTime(T0);
    }
    return id;
  }

  async function policyInput(decidedAt: Date): Promise<void> {
    await harness.store.db
      .insertInto('policy_decision_inputs')
      .values({
        decided_at: decidedAt,
        revision: 'rev-test',
        request_id: 'r-1',
        requester_partner_id: 'demo-politie',
        requester_kind: 'politie',
        holder_partner_id: 'demo-ggz',
        holder_kind: 'ggz',
        category: 'ggz.bekend',
        purpose: 'risicotaxatie',
        decision: 'review',
        confidential: false,
        input_hash: 'h',
        input: JSON.stringify({ purpose: 'risicotaxatie' }),
      } as never)
      .execute();
  }

  async function seed() {
    const closedLongAgo = await caseWithDecidedReview(1); // closed on day 1
    const closedRecently = await caseWithDecidedReview(150); // closed on day 150
    const open = await caseWithDecidedReview(undefined); // open; its review decided on day 0
    const expired = await consent(10); // ended day 10
    const withdrawn = await consent(400, 5); // withdrawn day 5
    const current = await consent(400); // valid until day 400
    await policyInput(at(0));
    await policyInput(at(170));
    for (let i = 0; i < 3; i++) await log.append({ type: 'test.entry', details: { i } });
    return { closedLongAgo, closedRecently, open, expired, withdrawn, current };
  }

  it('deletes closed cases, ended consents, decided reviews and old policy inputs past their periods', async () => {
    const s = await seed();
    vi.setSystemTime(at(180));
    const report = await purgeExpired(
      { db: harness.store.db, audit: log, periods: PERIODS, logger: pino({ level: 'silent' }) },
      { dryRun: false },
    );
    expect(report.counts).toMatchObject({
      cases: 1,
      requests: 1,
      reviews: 3, // the long-closed case's, and the decided ones of the other two (day 0 + 60 < 180)
      consents: 2,
      policyInputs: 1,
    });
    expect(report.counts.caseEvents).toBeGreaterThanOrEqual(3);
    expect(report.counts.caseMembers).toBeGreaterThanOrEqual(3);
    expect(report.counts.requestItems).toBe(2);
    const cases = await harness.store.db.selectFrom('cases').select('id').execute();
    expect(cases.map((c) => c.id).sort()).toEqual([s.closedRecently.caseId, s.open.caseId].sort());
    const consents = await harness.store.db.selectFrom('consents').select('id').execute();
    expect(consents.map((c) => c.id)).toEqual([s.current]);
    expect(await count('reviews')).toBe(0);
    expect(await count('policy_decision_inputs')).toBe(1);
    // The closed case is gone for its members too.
    expect((await call(regisseur, 'GET', `/v1/cases/${s.closedLongAgo.caseId}`)).status).toBe(404);
    expect((await call(regisseur, 'GET', `/v1/cases/${s.closedRecently.caseId}`)).status).toBe(200);
  });

  it('keeps everything younger than its period', async () => {
    await seed();
    vi.setSystemTime(at(20)); // reviews (60), cases closed day 1 (100), inputs (90) all too young; expired consent 10+30 > 20
    const report = await purgeExpired(
      { db: harness.store.db, audit: log, periods: PERIODS, logger: pino({ level: 'silent' }) },
      { dryRun: false },
    );
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect(await count('cases')).toBe(3);
    expect(await count('consents')).toBe(3);
  });

  it('leaves the disclosure log intact and adds one summary entry without identifiers', async () => {
    await seed();
    const before = await harness.store.db
      .selectFrom('audit_entries')
      .select(['seq', 'hash'])
      .orderBy('seq')
      .execute();
    vi.setSystemTime(at(180));
    const report = await purgeExpired(
      { db: harness.store.db, audit: log, periods: PERIODS, logger: pino({ level: 'silent' }) },
      { dryRun: false },
    );
    const after = await harness.store.db
      .selectFrom('audit_entries')
      .select(['seq', 'hash', 'type', 'body'])
      .orderBy('seq')
      .execute();
    expect(after.slice(0, before.length).map((e) => ({ seq: e.seq, hash: e.hash }))).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    const summary = after.at(-1)!;
    expect(summary.type).toBe('retention.purged');
    expect(Number(summary.seq)).toBe(report.logSeq);
    expect(JSON.parse(summary.body)).toMatchObject({ details: { counts: report.counts, periods: PERIODS } });
    expect(summary.body).not.toContain(DEMO_BSN);
    expect(await verifyLog({ db: harness.store.db, jwks: keyring.jwks })).toMatchObject({ ok: true });
  });

  it('counts in a dry run without deleting or logging anything', async () => {
    await seed();
    const entries = await count('audit_entries');
    vi.setSystemTime(at(180));
    const options = { db: harness.store.db, audit: log, periods: PERIODS, logger: pino({ level: 'silent' }) };
    const dry = await purgeExpired(options, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.logSeq).toBeUndefined();
    expect(await count('cases')).toBe(3);
    expect(await count('consents')).toBe(3);
    expect(await count('policy_decision_inputs')).toBe(2);
    expect(await count('audit_entries')).toBe(entries);
    // The dry run's counts are exactly what the purge then deletes.
    const real = await purgeExpired(options, { dryRun: false });
    expect(real.counts).toEqual(dry.counts);
  });
});
