// Answered requests are stored with one statement per turn of the event loop, each exactly as given, and fail alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRequestWriter,
  insertRequests,
  type RequestRows,
} from '../../broker/requests/request-writer.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { countStatements } from '../support/statement-counter.ts';

const CASE_ID = 'case-writer-1';
const AT = new Date('2026-11-20T10:11:12.345Z');
// Text that an array literal must escape: quotes, backslashes, braces, commas, the word NULL, non-ASCII.
const AWKWARD = 'a "quoted" \\ {brace}, NULL; ë ✓';

function rowsFor(options: { caseId?: string; review?: boolean; receipt?: boolean } = {}): RequestRows {
  const id = randomUUID();
  return {
    request: {
      id,
      case_id: options.caseId ?? CASE_ID,
      requester_partner_id: 'demo-politie',
      requester_user: 'u1',
      requester_role: 'casusregisseur',
      purpose: 'risicotaxatie',
      subject_pseudonym: 'p2.abc',
      sealed_subject: options.review === true ? 'sealed.blob' : null,
      justification: AWKWARD,
      created_at: AT,
    },
    items: [
      {
        request_id: id,
        idx: 0,
        holder_partner_id: 'demo-om',
        category: 'om.strafzaken',
        outcome: 'disclosed',
        reasons: JSON.stringify([{ code: 'R1', nl: AWKWARD, en: 'e' }]),
        legal_basis: 'wjsg_39f',
        log_seq: 9_007_199_254,
        answered_at: AT,
      },
      ...(options.review === true
        ? [
            {
              request_id: id,
              idx: 1,
              holder_partner_id: 'demo-ggz',
              category: 'ggz.bekend',
              outcome: 'pending_review' as const,
              reasons: '[]',
              legal_basis: null,
              log_seq: 12,
              answered_at: null,
            },
          ]
        : []),
    ],
    reviews:
      options.review === true
        ? [
            {
              id: randomUUID(),
              request_id: id,
              idx: 1,
              holder_partner_id: 'demo-ggz',
              reviewer_role: 'behandelaar',
              category: 'ggz.bekend',
              purpose: 'risicotaxatie',
              requester_partner_id: 'demo-politie',
              urgent: true,
              basis_consent_ids: JSON.stringify(['c1']),
              status: 'pending',
              decision: null,
              decided_by_user: null,
              decided_at: null,
              due_at: new Date(AT.getTime() + 4 * 3_600_000),
            },
          ]
        : [],
    receipt:
      options.receipt === false
        ? undefined
        : {
            id: randomUUID(),
            request_id: id,
            requester: 'demo-politie',
            max_seq: 9_007_199_254,
            jws: 'a.b.c',
          },
  };
}

describe.each(BACKENDS)('storing answered requests on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    await store.db
      .insertInto('cases')
      .values({
        id: CASE_ID,
        subject_pseudonym: 'p2.abc',
        status: 'open',
        phase: 'informatie',
        lead_partner_id: 'demo-politie',
        emergency: false,
        takeover_due_at: null,
        opened_by_user: 'u1',
        closed_at: null,
      })
      .execute();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  const stored = async (requestId: string) => ({
    request: await store.db
      .selectFrom('info_requests')
      .selectAll()
      .where('id', '=', requestId)
      .executeTakeFirst(),
    items: await store.db
      .selectFrom('request_items')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('idx')
      .execute(),
    reviews: await store.db.selectFrom('reviews').selectAll().where('request_id', '=', requestId).execute(),
    receipts: await store.db
      .selectFrom('audit_receipts')
      .selectAll()
      .where('request_id', '=', requestId)
      .execute(),
  });

  it('stores the requests of one turn with one statement, every column as given', async () => {
    const counting = countStatements(store.db);
    const writer = createRequestWriter(counting.db);
    const batch = [rowsFor(), rowsFor({ review: true, receipt: false }), rowsFor({ review: true })];
    await Promise.all(batch.map((rows) => writer.store(rows)));
    expect(counting.count()).toBe(1);

    const second = await stored(batch[1]!.request!.id);
    expect(second.request).toMatchObject({
      case_id: CASE_ID,
      sealed_subject: 'sealed.blob',
      justification: AWKWARD,
      created_at: AT,
    });
    expect(second.items).toEqual([
      {
        request_id: batch[1]!.request!.id,
        idx: 0,
        holder_partner_id: 'demo-om',
        category: 'om.strafzaken',
        outcome: 'disclosed',
        reasons: [{ code: 'R1', nl: AWKWARD, en: 'e' }],
        legal_basis: 'wjsg_39f',
        log_seq: 9_007_199_254,
        answered_at: AT,
      },
      {
        request_id: batch[1]!.request!.id,
        idx: 1,
        holder_partner_id: 'demo-ggz',
        category: 'ggz.bekend',
        outcome: 'pending_review',
        reasons: [],
        legal_basis: null,
        log_seq: 12,
        answered_at: null,
      },
    ]);
    expect(second.reviews).toHaveLength(1);
    expect(second.reviews[0]).toMatchObject({
      ...batch[1]!.reviews[0],
      basis_consent_ids: ['c1'],
      decision: null,
    });
    expect(second.reviews[0]!.created_at).toBeInstanceOf(Date);
    expect(second.receipts).toEqual([]);
    const third = await stored(batch[2]!.request!.id);
    expect(third.receipts).toHaveLength(1);
    expect(third.receipts[0]).toMatchObject({ ...batch[2]!.receipt, requester: 'demo-politie' });
    expect((await stored(batch[0]!.request!.id)).reviews).toEqual([]);
  });

  it('stores items of a request stored before (break-glass) without storing it again', async () => {
    const rows = rowsFor();
    await insertRequests(store.db, [{ ...rows, items: [], receipt: undefined }]);
    await createRequestWriter(store.db).store({ ...rows, request: undefined });
    const after = await stored(rows.request!.id);
    expect(after.items).toHaveLength(1);
    expect(after.receipts).toHaveLength(1);
  });

  it('fails only the request whose rows are refused; the others of its turn are stored', async () => {
    const writer = createRequestWriter(store.db);
    const good = rowsFor();
    const bad = rowsFor({ caseId: 'no-such-case' });
    const results = await Promise.allSettled([writer.store(good), writer.store(bad)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((await stored(good.request!.id)).items).toHaveLength(1);
    const refused = await stored(bad.request!.id);
    expect(refused).toEqual({ request: undefined, items: [], reviews: [], receipts: [] });
  });

  it('rejects every request of the turn at once when the connection fails, without trying each again', async () => {
    const closed = await openTestStore(backend);
    await closed.close();
    let attempts = 0;
    // The writer sends fixed SQL text (executeQuery), which plugins do not see: count the calls.
    const counting = new Proxy(closed.db, {
      get(target, property, receiver) {
        if (property === 'executeQuery') {
          return (...args: Parameters<typeof target.executeQuery>) => {
            attempts += 1;
            return target.executeQuery(...args);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const writer = createRequestWriter(counting);
    const results = await Promise.allSettled([1, 2, 3].map(() => writer.store(rowsFor())));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(attempts).toBe(1);
  });

  it('rejects every request of the turn when the database cannot store them', async () => {
    const bare = await openTestStore(backend, { migrate: false });
    try {
      const writer = createRequestWriter(bare.db);
      const results = await Promise.allSettled([writer.store(rowsFor()), writer.store(rowsFor())]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await bare.close();
    }
  });
});
