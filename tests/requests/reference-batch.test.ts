// The reference store reads the finds of one event-loop turn in one statement, each answered with its own record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../broker/store/database.ts';
import { createReferenceRecords } from '../../broker/store/reference-records.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { countStatements } from '../support/statement-counter.ts';

const STRAFZAKEN = { lopend: [{ feit: 'bedreiging', fase: 'vervolging' }] };
const DOCUMENTATIE = { aantalVeroordelingen: 1 };
const REGISTRATIES = { aantal: 2, laatsteDatum: '2026-09-30' };

describe.each(BACKENDS)('batched reference reads on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const row = (holder: string, category: string, pseudonym: string, record: object, at: string) => ({
      holder_partner_id: holder,
      category,
      subject_pseudonym: pseudonym,
      record: JSON.stringify(record),
      import_id: 'import-1',
      imported_at: new Date(at),
    });
    await store.db
      .insertInto('reference_records')
      .values([
        row('demo-om', 'om.strafzaken', 'p1.a', STRAFZAKEN, '2026-11-01T00:00:00Z'),
        row(
          'demo-om',
          'om.justitiele_documentatie',
          'p1.a',
          { aantalVeroordelingen: 0 },
          '2026-10-01T00:00:00Z',
        ),
        // The same person under the next key generation, delivered later: the newer record wins.
        row('demo-om', 'om.justitiele_documentatie', 'p2.a', DOCUMENTATIE, '2026-11-10T00:00:00Z'),
        row('demo-politie', 'politie.registraties', 'p2.a', REGISTRATIES, '2026-11-01T00:00:00Z'),
        row('demo-politie', 'politie.registraties', 'p2.b', { aantal: 7 }, '2026-11-01T00:00:00Z'),
      ])
      .execute();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it('answers every find of one turn with one statement, each with its own holder, category and person', async () => {
    const counting = countStatements(store.db);
    const records = createReferenceRecords(counting.db);
    const person = ['p2.a', 'p1.a'];
    const answers = await Promise.all([
      records.find('demo-om', 'om.strafzaken', person),
      records.find('demo-om', 'om.justitiele_documentatie', person),
      records.find('demo-politie', 'politie.registraties', person),
      // Another holder's category, another person, and a person without records: nothing.
      records.find('demo-politie', 'om.strafzaken', person),
      records.find('demo-om', 'om.strafzaken', ['p2.b', 'p1.b']),
      records.find('demo-om', 'om.strafzaken', ['p2.c']),
      records.find('demo-politie', 'politie.registraties', ['p2.b']),
    ]);
    expect(answers).toEqual([
      STRAFZAKEN,
      DOCUMENTATIE,
      REGISTRATIES,
      undefined,
      undefined,
      undefined,
      { aantal: 7 },
    ]);
    expect(counting.count()).toBe(1);
  });

  it('reads the database again for a find in a later turn: a replaced extract is seen at once', async () => {
    const counting = countStatements(store.db);
    const records = createReferenceRecords(counting.db);
    expect(await records.find('demo-politie', 'politie.registraties', ['p2.b'])).toEqual({ aantal: 7 });
    await records.replace('demo-politie', 'import-2', ['politie.registraties'], []);
    expect(await records.find('demo-politie', 'politie.registraties', ['p2.b'])).toBeUndefined();
    // Two reads and the replacement (a delete; no rows to insert).
    expect(counting.count()).toBe(3);
  });

  it('answers a find without pseudonyms with nothing, without a statement', async () => {
    const counting = countStatements(store.db);
    expect(await createReferenceRecords(counting.db).find('demo-om', 'om.strafzaken', [])).toBeUndefined();
    expect(counting.count()).toBe(0);
  });

  it('rejects every find of the turn when its statement fails', async () => {
    // A database without the reference table: the statement fails as it would with the database gone.
    const bare = await openTestStore(backend, { migrate: false });
    try {
      const records = createReferenceRecords(bare.db);
      const results = await Promise.allSettled([
        records.find('demo-om', 'om.strafzaken', ['p1.a']),
        records.find('demo-politie', 'politie.registraties', ['p2.a']),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await bare.close();
    }
  });
});
