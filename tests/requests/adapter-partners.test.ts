// The partner adapters: each partner's native documents map to canonical records inside the catalogue's fields.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdapterProtocolError, AdapterUnavailableError, type Adapter } from '../../adapters/contract.ts';
import { createAivdAdapter } from '../../adapters/aivd/aivd-adapter.ts';
import { createDkdbAdapter, createKmarAdapter } from '../../adapters/kmar-dkdb/kmar-dkdb-adapter.ts';
import type { NativeQuery, NativeTransport } from '../../adapters/native.ts';
import { createOmAdapter } from '../../adapters/om/om-adapter.ts';
import { createPolitieAdapter } from '../../adapters/politie/politie-adapter.ts';

const BSN = '111222333';
const catalogue = JSON.parse(readFileSync('policies/catalogue/data.json', 'utf8')) as {
  categories: Record<string, { fields: string[] }>;
};

/** A transport over fixed native documents per BSN; records what it was asked. */
function documents(byDocument: Record<string, unknown>): NativeTransport & { asked: NativeQuery[] } {
  const asked: NativeQuery[] = [];
  return {
    asked,
    get(query) {
      asked.push(query);
      return Promise.resolve(query.bsn === BSN ? byDocument[query.document] : undefined);
    },
  };
}

/** Every field path of a record, arrays written as `name[].field` like the catalogue. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const inner = value.flatMap((v) => paths(v, `${prefix}[]`));
    return inner.length === 0 || value.every((v) => typeof v !== 'object') ? [prefix] : inner;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => paths(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [prefix];
}

const now = () => new Date('2026-11-15T12:00:00Z');
const ask = (adapter: Adapter, category: string, bsn = BSN) =>
  adapter.fetch({ requestId: 'r-1', category, bsn }, new AbortController().signal);

const POLITIE = {
  'bvh-registraties': {
    registraties: [
      {
        registratienummer: 'PL0900-2026000123',
        pleegdatum: '2026-09-30',
        rol: 'verdachte',
        maatschappelijkeClassificatie: { code: 'F3.1', omschrijving: 'bedreiging' },
        bedreiging: { bedreigdeCategorie: 'minister_president' },
        korteOmschrijving: 'Fictief: dreigende berichten.',
        interneNotitie: 'never mapped',
      },
      {
        registratienummer: 'PL0900-2025000456',
        pleegdatum: '2025-04-02',
        rol: 'betrokkene',
        maatschappelijkeClassificatie: { code: 'E3.4', omschrijving: 'overlast' },
        korteOmschrijving: 'Fictief: overlast.',
      },
      {
        registratienummer: 'PL0900-2026000999',
        pleegdatum: '2026-10-20',
        rol: 'slachtoffer',
        maatschappelijkeClassificatie: { code: 'B1.1', omschrijving: 'diefstal' },
        korteOmschrijving: 'Fictief: aangifte als slachtoffer.',
      },
    ],
  },
  wapenvergunningen: {
    vergunningen: [
      {
        vergunningnummer: 'W-1',
        soort: 'jachtakte',
        status: 'verleend',
        geldigVan: '2020-01-01',
        geldigTot: '2026-06-30',
      },
      {
        vergunningnummer: 'W-2',
        soort: 'verlof sport',
        status: 'ingetrokken',
        geldigVan: '2025-01-01',
        geldigTot: '2027-12-31',
      },
    ],
  },
};

const OM = {
  'om-zaken': {
    zaken: [
      {
        parketnummer: '16-123456-26',
        arrondissement: 'Midden-Nederland',
        feiten: [{ omschrijving: 'bedreiging', wetsartikel: 'Sr 285' }],
        fase: 'vervolging',
      },
      {
        parketnummer: '16-654321-23',
        arrondissement: 'Midden-Nederland',
        feiten: [{ omschrijving: 'bedreiging' }],
        fase: 'afgedaan',
        afdoening: {
          soort: 'veroordeling',
          datum: '2023-05-10',
          straf: 'taakstraf',
          bijzondereVoorwaarden: {
            voorwaarden: ['contactverbod', 'meldplicht'],
            toezichthouder: 'Reclassering Nederland',
            einddatum: '2027-05-10',
          },
        },
      },
      {
        parketnummer: '16-111111-22',
        arrondissement: 'Den Haag',
        feiten: [{ omschrijving: 'vernieling' }],
        fase: 'afgedaan',
        afdoening: { soort: 'vrijspraak', datum: '2022-03-01' },
      },
    ],
  },
};

const KMAR = {
  'kmar-grenspassages': {
    passages: [
      { tijdstip: '2026-08-01T23:30:00Z', grensdoorlaatpost: 'Schiphol', richting: 'uitreis' },
      {
        tijdstip: '2026-08-20T10:00:00+02:00',
        grensdoorlaatpost: 'Eindhoven Airport',
        richting: 'inreis',
      },
    ],
  },
};

const DKDB = {
  'dkdb-incidenten': {
    incidenten: [
      { incidentnummer: 'D-1', datum: '2026-10-11', soort: 'fysieke_nadering', omschrijving: 'Fictief.' },
    ],
  },
  'dkdb-maatregelen': {
    beveiligingsniveau: 3,
    maatregelen: [
      { omschrijving: 'extra surveillance', status: 'actief', ingangsdatum: '2026-10-12' },
      { omschrijving: 'woningbeveiliging', status: 'beeindigd', ingangsdatum: '2025-01-01' },
    ],
  },
};

const AIVD = {
  'aivd-signalen': {
    signalen: [
      {
        kenmerk: 'S-2026-1',
        datum: '2026-09-01',
        rubricering: 'stg_geheim',
        contactpunt: { afdeling: 'Fictieve afdeling', telefoon: '079-0000000' },
      },
    ],
  },
  'aivd-ambtsberichten': {
    ambtsberichten: [
      {
        kenmerk: 'A-2',
        datum: '2026-10-02',
        onderwerp: 'x',
        tekst: 'Gerubriceerd.',
        rubricering: 'stg_confidentieel',
      },
      {
        kenmerk: 'A-1',
        datum: '2026-09-15',
        onderwerp: 'x',
        tekst: 'Fictief ambtsbericht.',
        rubricering: 'ongerubriceerd',
      },
    ],
  },
};

describe('politie adapter (BVH registrations, weapons register)', () => {
  const transport = documents(POLITIE);
  const politie = createPolitieAdapter({ transport, now });

  it('counts only registrations where the person acted, newest first', async () => {
    expect(await ask(politie, 'politie.registraties')).toEqual({
      status: 'found',
      record: {
        aantal: 2,
        laatsteDatum: '2026-09-30',
        soorten: ['bedreiging', 'overlast'],
        samenvatting: 'Fictief: dreigende berichten.',
      },
    });
    expect(transport.asked.at(-1)).toEqual({ requestId: 'r-1', bsn: BSN, document: 'bvh-registraties' });
  });

  it('maps threat registrations to dreigingsmeldingen', async () => {
    expect(await ask(politie, 'politie.dreigingsmeldingen')).toEqual({
      status: 'found',
      record: {
        meldingen: [
          {
            datum: '2026-09-30',
            bedreigdeCategorie: 'minister_president',
            samenvatting: 'Fictief: dreigende berichten.',
          },
        ],
      },
    });
  });

  it('does not count an expired or revoked licence as a licence', async () => {
    expect(await ask(politie, 'politie.wapenvergunning')).toEqual({
      status: 'found',
      record: { heeftVergunning: false },
    });
    const valid = createPolitieAdapter({ transport, now: () => new Date('2026-03-01T00:00:00Z') });
    expect(await ask(valid, 'politie.wapenvergunning')).toEqual({
      status: 'found',
      record: { heeftVergunning: true, soort: 'jachtakte', geldigTot: '2026-06-30' },
    });
  });

  it('answers not_found for a person the politie holds nothing about', async () => {
    expect(await ask(politie, 'politie.registraties', '123456782')).toEqual({ status: 'not_found' });
  });

  it('refuses a native document outside its shape with SOURCE_INVALID_ANSWER', async () => {
    const broken = createPolitieAdapter({
      transport: documents({
        'bvh-registraties': { registraties: [{ registratienummer: 'x', rol: 'dader' }] },
      }),
    });
    await expect(ask(broken, 'politie.registraties')).rejects.toMatchObject({
      constructor: AdapterProtocolError,
      reason: 'SOURCE_INVALID_ANSWER',
    });
  });
});

describe('om adapter (case and verdict records)', () => {
  const om = createOmAdapter({ transport: documents(OM), now });

  it('lists pending cases as strafzaken', async () => {
    expect(await ask(om, 'om.strafzaken')).toEqual({
      status: 'found',
      record: { lopend: [{ feit: 'bedreiging', fase: 'vervolging', parket: 'Midden-Nederland' }] },
    });
  });

  it('counts convictions but not acquittals in the judicial record', async () => {
    expect(await ask(om, 'om.justitiele_documentatie')).toEqual({
      status: 'found',
      record: {
        aantalVeroordelingen: 1,
        veroordelingen: [{ feit: 'bedreiging', jaar: 2023, straf: 'taakstraf' }],
      },
    });
  });

  it('gives the special conditions still running', async () => {
    expect(await ask(om, 'om.bijzondere_voorwaarden')).toEqual({
      status: 'found',
      record: {
        voorwaarden: ['contactverbod', 'meldplicht'],
        toezichtDoor: 'Reclassering Nederland',
        tot: '2027-05-10',
      },
    });
    const later = createOmAdapter({ transport: documents(OM), now: () => new Date('2028-01-01T00:00:00Z') });
    expect(await ask(later, 'om.bijzondere_voorwaarden')).toEqual({ status: 'not_found' });
  });
});

describe('kmar and dkdb adapters', () => {
  const kmar = createKmarAdapter({
    transport: documents(KMAR),
  });
  const dkdb = createDkdbAdapter({
    transport: documents(DKDB),
  });

  it('gives border movements newest first, dated in Dutch time', async () => {
    expect(await ask(kmar, 'kmar.grensbewegingen')).toEqual({
      status: 'found',
      record: {
        laatsteBeweging: '2026-08-20',
        bewegingen: [
          { datum: '2026-08-20', post: 'Eindhoven Airport', richting: 'in' },
          { datum: '2026-08-02', post: 'Schiphol', richting: 'uit' },
        ],
      },
    });
  });

  it('maps approaches and only the active security measures', async () => {
    expect(await ask(dkdb, 'dkdb.naderingen')).toEqual({
      status: 'found',
      record: { naderingen: [{ datum: '2026-10-11', categorie: 'fysiek', samenvatting: 'Fictief.' }] },
    });
    expect(await ask(dkdb, 'dkdb.beveiligingsmaatregelen')).toEqual({
      status: 'found',
      record: { maatregelen: ['extra surveillance'], niveau: 'verhoogd' },
    });
  });
});

describe('aivd adapter', () => {
  const aivd = createAivdAdapter({
    transport: documents(AIVD),
  });

  it('gives the fact of a signal and a contact point, nothing of the signal itself', async () => {
    const answer = await ask(aivd, 'aivd.signaal');
    expect(answer).toEqual({
      status: 'found',
      record: { heeftInformatie: true, contact: 'Fictieve afdeling, 079-0000000' },
    });
    expect(JSON.stringify(answer)).not.toMatch(/S-2026-1|stg_geheim/);
  });

  it('never maps a classified text as an ambtsbericht', async () => {
    expect(await ask(aivd, 'aivd.ambtsbericht')).toEqual({
      status: 'found',
      record: { kenmerk: 'A-1', inhoud: 'Fictief ambtsbericht.', datum: '2026-09-15' },
    });
  });

  it('says there is no information when the AIVD has no signal', async () => {
    const empty = createAivdAdapter({ transport: documents({ 'aivd-signalen': { signalen: [] } }) });
    expect(await ask(empty, 'aivd.signaal')).toEqual({ status: 'found', record: { heeftInformatie: false } });
  });
});

describe('every partner adapter', () => {
  const adapters = [
    createPolitieAdapter({ transport: documents(POLITIE), now: () => new Date('2026-03-01T00:00:00Z') }),
    createOmAdapter({ transport: documents(OM), now }),
    createKmarAdapter({ transport: documents(KMAR) }),
    createDkdbAdapter({ transport: documents(DKDB) }),
    createAivdAdapter({ transport: documents(AIVD) }),
  ];

  it('fills only fields the catalogue defines for the category', async () => {
    let checked = 0;
    for (const adapter of adapters) {
      for (const category of adapter.categories) {
        const answer = await ask(adapter, category);
        if (answer.status !== 'found') continue;
        const allowed = catalogue.categories[category]?.fields ?? [];
        for (const field of paths(answer.record)) expect(allowed, `${category}: ${field}`).toContain(field);
        checked += 1;
      }
    }
    expect(checked).toBe(11);
  });

  it('refuses at construction a category the partner does not hold', () => {
    expect(() => createOmAdapter({ transport: documents({}), categories: ['ggz.bekend'] })).toThrow(
      /ggz.bekend/,
    );
  });

  it('passes transport failures through with their reason code', async () => {
    const failing = createOmAdapter({
      transport: { get: () => Promise.reject(new AdapterUnavailableError('down')) },
    });
    await expect(ask(failing, 'om.strafzaken')).rejects.toMatchObject({ reason: 'SOURCE_UNAVAILABLE' });
  });
});

describe('partner adapters on arbitrary native documents', () => {
  const partners = [
    createPolitieAdapter,
    createOmAdapter,
    createKmarAdapter,
    createDkdbAdapter,
    createAivdAdapter,
  ] as const;
  /** A fixture document with random extra fields sprinkled in, or a random value in its place. */
  const mutated = (base: unknown): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.anything(),
      fc.constant(base),
      fc
        .dictionary(fc.string({ maxLength: 12 }), fc.anything(), { maxKeys: 4 })
        .map((extra) =>
          typeof base === 'object' && base !== null && !Array.isArray(base)
            ? Object.fromEntries(
                Object.entries(base).map(([k, v]) => [
                  k,
                  Array.isArray(v)
                    ? (v as unknown[]).map((e): unknown =>
                        typeof e === 'object' && e !== null ? { ...e, ...extra } : e,
                      )
                    : v,
                ]),
              )
            : base,
        ),
    );
  const fixtures: Record<string, unknown> = { ...POLITIE, ...OM, ...KMAR, ...DKDB, ...AIVD };

  it('either refuse the document (SOURCE_INVALID_ANSWER) or fill only catalogue fields', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...partners),
        fc.record(Object.fromEntries(Object.entries(fixtures).map(([k, v]) => [k, mutated(v)]))),
        async (create, docs) => {
          const adapter = create({ transport: documents(docs), now });
          for (const category of adapter.categories) {
            const answer = await ask(adapter, category).catch((error: unknown) => error);
            if (answer instanceof AdapterProtocolError) continue;
            if (answer instanceof Error) throw answer;
            const settled = answer as Awaited<ReturnType<typeof ask>>;
            if (settled.status !== 'found') continue;
            const allowed = catalogue.categories[category]?.fields ?? [];
            for (const field of paths(settled.record)) {
              expect(
                allowed.some((a) => a === field || a.startsWith(`${field}[]`)),
                `${category}: ${field}`,
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
