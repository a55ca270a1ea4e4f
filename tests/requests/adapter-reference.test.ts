// The reference transport: partner extracts validated, stored under pseudonyms only, served as a holder's source,
// and loaded by `schakel reference import` with an audit entry.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractError, readExtract } from '../../adapters/reference/extract.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import { createDemoReferenceAdapters } from '../../adapters/reference/demo-reference.ts';
import { createReferenceStoreAdapter } from '../../adapters/reference/reference-store.ts';
import { createPseudonymizer, isValidBsn } from '../../broker/audit/pseudonym.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import type { Store } from '../../broker/store/database.ts';
import { createReferenceRecords } from '../../broker/store/reference-records.ts';
import { BACKENDS, openTestStore, scratchDir } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { runSchakel } from '../support/processes.ts';

const BSN = '111222333';
const OTHER_BSN = '123456782';
const catalogue = loadCatalogue();
const context = (holderKind: string) => ({
  holderKind,
  categories: catalogue.categories,
  isValidBsn,
  now: () => new Date('2026-11-15T12:00:00Z'),
});

const canonical = {
  format: 'canonical',
  categories: ['om.strafzaken', 'om.justitiele_documentatie'],
  records: [
    { bsn: BSN, category: 'om.strafzaken', record: { lopend: [{ feit: 'bedreiging', fase: 'vervolging' }] } },
    { bsn: OTHER_BSN, category: 'om.justitiele_documentatie', record: { aantalVeroordelingen: 0 } },
  ],
};

describe('reading an extract', () => {
  it('accepts a canonical extract of the holder’s categories', async () => {
    const extract = await readExtract(canonical, context('om'));
    expect(extract.categories).toEqual(['om.strafzaken', 'om.justitiele_documentatie']);
    expect(extract.entries).toHaveLength(2);
  });

  it('maps a native extract through the partner adapter', async () => {
    const extract = await readExtract(
      {
        format: 'native',
        categories: ['om.strafzaken', 'om.justitiele_documentatie'],
        documents: [
          {
            bsn: BSN,
            document: 'om-zaken',
            content: {
              zaken: [
                {
                  parketnummer: '16-123456-26',
                  arrondissement: 'Midden-Nederland',
                  feiten: [{ omschrijving: 'bedreiging' }],
                  fase: 'zitting',
                },
              ],
            },
          },
        ],
      },
      context('om'),
    );
    expect(extract.entries).toEqual([
      {
        bsn: BSN,
        category: 'om.strafzaken',
        record: { lopend: [{ feit: 'bedreiging', fase: 'zitting', parket: 'Midden-Nederland' }] },
      },
      {
        bsn: BSN,
        category: 'om.justitiele_documentatie',
        record: { aantalVeroordelingen: 0, veroordelingen: [] },
      },
    ]);
  });

  it.each([
    [
      'a BSN failing the elfproef',
      { ...canonical, records: [{ ...canonical.records[0], bsn: '111222334' }] },
      'records.0.bsn',
    ],
    ['a category of another holder kind', { ...canonical, categories: ['ggz.bekend'] }, 'categories.0'],
    [
      'a record of a category outside the extract',
      { ...canonical, categories: ['om.justitiele_documentatie'] },
      'records.0.category',
    ],
    [
      'a field the catalogue does not define',
      { ...canonical, records: [{ bsn: BSN, category: 'om.strafzaken', record: { lopend: [], bsn: BSN } }] },
      'records.0.record',
    ],
    [
      'the same person and category twice',
      { ...canonical, records: [canonical.records[0], canonical.records[0]] },
      'records.1',
    ],
    ['an unknown property', { ...canonical, extra: true }, ''],
    [
      'a native document outside the partner’s shape',
      {
        format: 'native',
        categories: ['om.strafzaken'],
        documents: [{ bsn: BSN, document: 'om-zaken', content: { zaken: [{}] } }],
      },
      'documents.0.content',
    ],
  ])('refuses %s, naming the field and never the value', async (_what, extract, field) => {
    const error = await readExtract(extract, context('om')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractError);
    expect((error as ExtractError).field).toBe(field);
    expect((error as Error).message).not.toContain('111222334');
    expect((error as Error).message).not.toContain(BSN);
  });
});

describe.each(BACKENDS)('the reference store on %s', (backend) => {
  let store: Store;
  const oldKey = randomBytes(32);
  const before = createPseudonymizer({ current: 'p1', keys: { p1: oldKey } });
  const after = createPseudonymizer({ current: 'p2', keys: { p1: oldKey, p2: randomBytes(32) } });
  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  const ask = (holder: string, category: string, bsn: string, pseudonyms = after) =>
    createReferenceStoreAdapter({
      holder,
      categories: [category],
      records: createReferenceRecords(store.db),
      pseudonyms: (b) => pseudonyms.candidates(b),
    }).fetch({ requestId: 'r', category, bsn }, new AbortController().signal);

  it('answers from the holder’s latest extract, by pseudonym, also after a key rotation', async () => {
    const records = createReferenceRecords(store.db);
    const extract = await readExtract(canonical, context('om'));
    const rows = extract.entries.map((e) => ({
      category: e.category,
      subjectPseudonym: before.pseudonym(e.bsn),
      record: e.record,
    }));
    expect(await records.replace('demo-om', 'import-1', extract.categories, rows)).toEqual({
      removed: 0,
      stored: 2,
    });
    expect(await ask('demo-om', 'om.strafzaken', BSN)).toEqual({
      status: 'found',
      record: { lopend: [{ feit: 'bedreiging', fase: 'vervolging' }] },
    });
    expect(await ask('demo-om', 'om.strafzaken', OTHER_BSN)).toEqual({ status: 'not_found' });
    // Another holder's source never sees these records.
    expect(await ask('demo-politie', 'om.strafzaken', BSN)).toEqual({ status: 'not_found' });
  });

  it('replaces a snapshot: a person missing from the new extract is no longer known', async () => {
    const records = createReferenceRecords(store.db);
    const result = await records.replace(
      'demo-om',
      'import-2',
      ['om.strafzaken'],
      [
        {
          category: 'om.strafzaken',
          subjectPseudonym: after.pseudonym(OTHER_BSN),
          record: { lopend: [{ feit: 'stalking' }] },
        },
      ],
    );
    expect(result).toEqual({ removed: 1, stored: 1 });
    expect(await ask('demo-om', 'om.strafzaken', BSN)).toEqual({ status: 'not_found' });
    expect(await ask('demo-om', 'om.strafzaken', OTHER_BSN)).toMatchObject({ status: 'found' });
    // Categories outside the new snapshot keep their records.
    expect(await ask('demo-om', 'om.justitiele_documentatie', OTHER_BSN)).toMatchObject({ status: 'found' });
  });

  it('keeps no plain BSN in the table', async () => {
    const rows = await store.db.selectFrom('reference_records').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${BSN}|${OTHER_BSN}`));
  });

  it('serves the demo through the store: seeded once per holder and logged, then answered by pseudonym', async () => {
    const logged: [string, Readonly<Record<string, unknown>>][] = [];
    const options = {
      partners: [
        { id: 'demo-politie', kind: 'politie' },
        { id: 'demo-ggz', kind: 'ggz' },
        { id: 'demo-veiligheidshuis', kind: 'veiligheidshuis' },
      ],
      categories: catalogue.categories,
      store: createReferenceRecords(store.db),
      pseudonyms: after,
      logImport: (holder: string, details: Readonly<Record<string, unknown>>) => {
        logged.push([holder, details]);
        return Promise.resolve();
      },
    };
    const adapters = await createDemoReferenceAdapters(options);
    expect(logged.map(([holder, d]) => [holder, d.records])).toEqual([
      ['demo-politie', 3],
      ['demo-ggz', 4],
    ]);
    expect(adapters('demo-veiligheidshuis')).toBeUndefined();
    expect(
      await adapters('demo-ggz')?.fetch(
        { requestId: 'r', category: 'ggz.bekend', bsn: DEMO_BSN },
        new AbortController().signal,
      ),
    ).toEqual({ status: 'found', record: DEMO_DATA[DEMO_BSN]?.['ggz.bekend'] });
    // A second start finds the records and does not seed (or log) again.
    await createDemoReferenceAdapters(options);
    expect(logged).toHaveLength(2);
  });

  it('refuses a category it is not configured for (SOURCE_UNAVAILABLE)', async () => {
    const adapter = createReferenceStoreAdapter({
      holder: 'demo-om',
      categories: ['om.strafzaken'],
      records: createReferenceRecords(store.db),
      pseudonyms: (b) => after.candidates(b),
    });
    await expect(
      adapter.fetch(
        { requestId: 'r', category: 'om.bijzondere_voorwaarden', bsn: BSN },
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ reason: 'SOURCE_UNAVAILABLE' });
  });
});

describe('schakel reference import', () => {
  const cwd = scratchDir('reference-import');
  const file = path.join(cwd, 'extract.json');
  const bad = path.join(cwd, 'bad.json');
  beforeAll(async () => {
    writeFileSync(file, JSON.stringify(canonical));
    writeFileSync(
      bad,
      JSON.stringify({ ...canonical, records: [{ ...canonical.records[0], bsn: '111222334' }] }),
    );
    const added = await runSchakel(
      [
        'partners',
        'add',
        '--id',
        'om-pilot',
        '--kind',
        'om',
        '--oin',
        '00000001003214345999',
        '--org',
        'OM pilot',
      ],
      { cwd },
    );
    expect(added.code, added.stderr).toBe(0);
  }, 60_000);

  it('imports a valid extract, records it in the log, and the log verifies', async () => {
    const run = await runSchakel(['reference', 'import', '--holder', 'om-pilot', '--file', file], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('imported 2 records for om-pilot');
    expect(run.stdout + run.stderr).not.toContain(BSN);
    const verify = await runSchakel(['audit', 'verify'], { cwd });
    expect(verify.code, verify.stderr).toBe(0);
  }, 60_000);

  it('refuses an invalid extract with exit 1, naming the field', async () => {
    const run = await runSchakel(['reference', 'import', '--holder', 'om-pilot', '--file', bad], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('records.0.bsn');
    expect(run.stderr).not.toContain('111222334');
  }, 60_000);

  it('refuses an unknown holder with exit 2', async () => {
    const run = await runSchakel(['reference', 'import', '--holder', 'nobody', '--file', file], { cwd });
    expect(run.code).toBe(2);
  }, 60_000);
});
