// Minimisation keeps exactly the permitted paths; property: nothing unpermitted ever survives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimise } from '../../broker/requests/minimise.ts';

describe('minimise', () => {
  it('keeps permitted top-level fields and names the withheld ones', () => {
    expect(minimise({ inZorg: true, sinds: '2020-01-01', instelling: 'X' }, ['inZorg'])).toEqual({
      data: { inZorg: true },
      withheld: ['instelling', 'sinds'],
    });
  });

  it('keeps the named fields of every list element', () => {
    const record = {
      meldingen: [
        { datum: '2026-01-01', bedreigdeCategorie: 'koninklijk_huis', samenvatting: 'geheim' },
        { datum: '2026-02-01', bedreigdeCategorie: 'overig_publiek', samenvatting: 'geheim' },
      ],
    };
    const out = minimise(record, ['meldingen[].datum', 'meldingen[].bedreigdeCategorie']);
    expect(out.data).toEqual({
      meldingen: [
        { datum: '2026-01-01', bedreigdeCategorie: 'koninklijk_huis' },
        { datum: '2026-02-01', bedreigdeCategorie: 'overig_publiek' },
      ],
    });
    expect(out.withheld).toEqual(['meldingen[].samenvatting']);
  });

  it('strips fields an adapter adds that no permit names', () => {
    expect(minimise({ inZorg: true, diagnose: 'F20' }, ['inZorg', 'sinds']).data).toEqual({ inZorg: true });
  });

  it('withholds a permitted field whose value is an object, with what a source hid inside it', () => {
    const record = {
      inZorg: { waarde: true, diagnose: 'F20.0', samenvatting: 'geheim' },
      sinds: '2020-01-01',
    };
    const out = minimise(record, ['inZorg', 'sinds']);
    expect(out).toEqual({ data: { sinds: '2020-01-01' }, withheld: ['inZorg'] });
    expect(JSON.stringify(out)).not.toMatch(/F20|geheim|diagnose/);
  });

  it('withholds a permitted list field whose value is an object in one element', () => {
    const record = {
      meldingen: [
        { datum: { d: '2026-01-01', samenvatting: 'geheim' }, bedreigdeCategorie: 'koninklijk_huis' },
        { datum: '2026-02-01', bedreigdeCategorie: 'overig_publiek' },
      ],
    };
    const out = minimise(record, ['meldingen[].datum', 'meldingen[].bedreigdeCategorie']);
    expect(out.data).toEqual({
      meldingen: [
        { bedreigdeCategorie: 'koninklijk_huis' },
        { datum: '2026-02-01', bedreigdeCategorie: 'overig_publiek' },
      ],
    });
    expect(out.withheld).toEqual(['meldingen[].datum']);
    expect(JSON.stringify(out)).not.toContain('geheim');
  });

  it('keeps a permitted list of scalars and withholds a list of objects in its place', () => {
    expect(
      minimise({ maatregelen: ['extra surveillance', 'camera'], soorten: [] }, ['maatregelen', 'soorten']),
    ).toEqual({
      data: { maatregelen: ['extra surveillance', 'camera'], soorten: [] },
      withheld: [],
    });
    expect(
      minimise({ maatregelen: ['camera', { notitie: 'geheim' }], niveau: null }, ['maatregelen', 'niveau']),
    ).toEqual({
      data: { niveau: null },
      withheld: ['maatregelen[]'],
    });
  });

  it('withholds a whole record when nothing is permitted', () => {
    expect(minimise({ samenvatting: 'x', opgesteldOp: '2026-01-01' }, [])).toEqual({
      data: {},
      withheld: ['opgesteldOp', 'samenvatting'],
    });
  });

  it('never lets a value through that sits under an unpermitted path', () => {
    const secret = 'SECRET-VALUE';
    const leaf = fc.oneof(fc.constant(secret), fc.integer(), fc.boolean());
    const record = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'lijst'),
      fc.oneof(leaf, fc.array(fc.dictionary(fc.constantFrom('x', 'y', 'z'), leaf), { maxLength: 3 })),
    );
    const permitted = fc.uniqueArray(fc.constantFrom('a', 'b', 'lijst[].x', 'lijst[].y'), { maxLength: 4 });
    fc.assert(
      fc.property(record, permitted, (rec, paths) => {
        const { data } = minimise(rec, paths);
        const allowed = new Set<string>(paths);
        for (const [key, value] of Object.entries(data)) {
          if (Array.isArray(value) && !allowed.has(key)) {
            for (const element of value as (Record<string, unknown> | null)[]) {
              for (const field of Object.keys(element ?? {}))
                expect(allowed.has(`${key}[].${field}`)).toBe(true);
            }
          } else {
            expect(allowed.has(key)).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never discloses an object under a permitted leaf path', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const hidden = fc.dictionary(fc.constantFrom('diagnose', 'samenvatting'), scalar, { minKeys: 1 });
    const value = fc.oneof(scalar, fc.array(scalar), hidden, fc.array(fc.oneof(scalar, hidden)));
    const record = fc.record({
      a: value,
      lijst: fc.array(fc.dictionary(fc.constantFrom('x', 'y'), value), { maxLength: 3 }),
    });
    const isScalar = (v: unknown) => v === null || typeof v !== 'object';
    fc.assert(
      fc.property(record, (rec) => {
        const { data } = minimise(rec, ['a', 'lijst[].x', 'lijst[].y']);
        const leaves = [
          data.a,
          ...((data.lijst ?? []) as Record<string, unknown>[]).flatMap((e) => Object.values(e)),
        ];
        for (const leaf of leaves) {
          expect(isScalar(leaf) || (Array.isArray(leaf) && leaf.every(isScalar))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
