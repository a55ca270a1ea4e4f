// Units of the lifecycle: which holders a change touches, catalogue edits, and what a retained input keeps.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCatalogueEdits } from '../../broker/policy/lifecycle/catalogue-edits.ts';
import { touchedHolderKinds } from '../../broker/policy/lifecycle/holder-say.ts';
import { FREE_TEXT_PLACEHOLDER, retainedInput } from '../../broker/policy/lifecycle/retained-inputs.ts';
import { POLICIES } from './support.ts';
import { scenarioInput } from './lifecycle-fixture.ts';

const catalogue = JSON.parse(readFileSync(path.join(POLICIES, 'catalogue', 'data.json'), 'utf8')) as Record<
  string,
  unknown
>;
const rego = { 'decision.rego': 'package schakel.decision\n' };
const touched = (next: Record<string, unknown>, nextRego = rego) =>
  touchedHolderKinds({ catalogue, rego }, { catalogue: next, rego: nextRego });

describe('the holder’s say', () => {
  it('touches no reviewing holder for a change to an OM cell', () => {
    const next = applyCatalogueEdits(catalogue, [
      {
        op: 'matrix',
        requesterKind: 'politie',
        purpose: 'risicotaxatie',
        category: 'om.strafzaken',
        allowed: false,
      },
    ]);
    expect(touched(next)).toEqual([]);
  });

  it('touches the GGZ for a GGZ category’s fields and for a legal basis only GGZ rules use', () => {
    expect(
      touched(
        applyCatalogueEdits(catalogue, [{ op: 'category', category: 'ggz.bekend', minimalFields: [] }]),
      ),
    ).toEqual(['ggz']);
    expect(
      touched(
        applyCatalogueEdits(catalogue, [
          { op: 'legal_basis', code: 'bg_toestemming', citation: 'art. 7:457 BW' },
        ]),
      ),
    ).toEqual(['ggz']);
  });

  it('touches the AIVD for its intelligence rules', () => {
    const next = structuredClone(catalogue);
    (next.intelligence as Record<string, { purposes: string[] }>)['aivd.signaal']!.purposes = [
      'risicotaxatie',
    ];
    expect(touched(next)).toEqual(['aivd']);
  });

  it('touches every reviewing holder for shared rules and for any Rego change', () => {
    const next = structuredClone(catalogue);
    (next.phases as Record<string, { purposes: string[] }>).melding!.purposes = ['melding_beoordeling'];
    expect(touched(next)).toEqual(['aivd', 'ggz']);
    expect(touched(catalogue, { 'decision.rego': 'package schakel.decision\n\n# changed\n' })).toEqual([
      'aivd',
      'ggz',
    ]);
  });
});

describe('catalogue edits', () => {
  it('refuse minimal fields outside the category, naming the edit', () => {
    expect(() =>
      applyCatalogueEdits(catalogue, [
        { op: 'category', category: 'politie.registraties', minimalFields: ['geheim'] },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_VALIDATION',
        errors: [expect.objectContaining({ field: 'edits[0].minimalFields' })],
      }),
    );
  });

  it('mark a changed citation as not checked against the statute, and leave the input alone', () => {
    const next = applyCatalogueEdits(catalogue, [
      { op: 'legal_basis', code: 'wpg_16', citation: 'art. 16 Wpg' },
    ]);
    expect((next.legal_bases as Record<string, unknown>).wpg_16).toMatchObject({
      citation: 'art. 16 Wpg',
      checked_against_statute: false,
    });
    expect((catalogue.legal_bases as Record<string, { citation: string }>).wpg_16!.citation).not.toBe(
      'art. 16 Wpg',
    );
  });
});

describe('a retained input', () => {
  it('keeps whether free text was given, never the text', () => {
    const input = scenarioInput('ntk: politie gets om criminal cases (wjsg_39f)');
    const kept = retainedInput({ ...input, justification: 'Betrokkene 111222333 dreigt vandaag' });
    expect(kept.justification).toBe(FREE_TEXT_PLACEHOLDER);
    expect(JSON.stringify(kept)).not.toContain('111222333');
    expect(retainedInput({ ...input, justification: '  ' }).justification).toBe('');
    expect(retainedInput({ ...input, justification: null }).justification).toBeNull();
    expect(kept.subject).toEqual(input.subject);
  });
});

describe('catalogue edits', () => {
  it('refuses inherited property names as kinds, purposes, categories and legal bases, naming the field', () => {
    const refusal = (edit: Parameters<typeof applyCatalogueEdits>[1][number]) => {
      try {
        applyCatalogueEdits(catalogue, [edit]);
        return undefined;
      } catch (error) {
        return (error as { code?: string; errors?: { field: string }[] }).errors?.map((e) => e.field);
      }
    };
    const cell = { op: 'matrix', requesterKind: 'politie', purpose: 'risicotaxatie', allowed: true } as const;
    expect(refusal({ ...cell, category: 'constructor' })).toEqual(['edits[0].category']);
    expect(refusal({ ...cell, category: 'om.strafzaken', purpose: 'toString' })).toEqual([
      'edits[0].purpose',
    ]);
    expect(refusal({ ...cell, category: 'om.strafzaken', requesterKind: 'constructor' })).toEqual([
      'edits[0].requesterKind',
    ]);
    expect(refusal({ op: 'category', category: 'toString', titleNl: 'x' })).toEqual(['edits[0].category']);
    expect(refusal({ op: 'legal_basis', code: 'constructor', titleNl: 'x' })).toEqual(['edits[0].code']);
  });
});
