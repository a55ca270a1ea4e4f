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
});
