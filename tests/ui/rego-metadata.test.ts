// The rules in plain language: METADATA blocks read from Rego sources, with Dutch texts from `custom.nl`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadRuleTexts,
  parseMetadataYaml,
  ruleTexts,
  ruleWords,
} from '../../broker/ui/policies/rego-metadata.ts';
import { PROJECT_ROOT } from '../support/processes.ts';

const POLICIES = path.join(PROJECT_ROOT, 'policies');

describe('the Rego METADATA reader', () => {
  it('reads plain, literal and folded scalars and nested mappings, skipping lists', () => {
    const yaml = parseMetadataYaml([
      'title: Need-to-know (rule 1)',
      'description: |',
      '  First line,',
      '  - a list item inside the text.',
      'custom:',
      '  nl:',
      '    title: "Need-to-know (regel 1)"',
      '    description: >-',
      '      Eerste regel',
      '      en tweede: met dubbelepunt.',
      'schemas:',
      '  - input: schema.input',
      'entrypoint: true',
    ]);
    expect(yaml).toEqual({
      title: 'Need-to-know (rule 1)',
      description: 'First line,\n- a list item inside the text.',
      custom: {
        nl: { title: 'Need-to-know (regel 1)', description: 'Eerste regel en tweede: met dubbelepunt.' },
      },
      schemas: {},
      entrypoint: 'true',
    });
  });

  it('names the rule a block annotates, and no rule for a package block', () => {
    const rules = ruleTexts({
      'x.rego': [
        '# METADATA',
        '# title: X',
        '# description: Package.',
        'package x',
        '',
        '# METADATA',
        '# title: Applies',
        '# description: It applies.',
        '# custom:',
        '#   nl:',
        '#     title: Van toepassing',
        '#     description: Het geldt.',
        'default applies := false',
      ].join('\n'),
    });
    expect(rules).toEqual([
      { file: 'x.rego', rule: undefined, title: 'X', description: 'Package.', nl: undefined },
      {
        file: 'x.rego',
        rule: 'applies',
        title: 'Applies',
        description: 'It applies.',
        nl: { title: 'Van toepassing', description: 'Het geldt.' },
      },
    ]);
    expect(ruleWords(rules[1]!, 'nl').title).toBe('Van toepassing');
    expect(ruleWords(rules[1]!, 'en').title).toBe('Applies');
    // A block without Dutch falls back to the English words rather than showing nothing.
    expect(ruleWords(rules[0]!, 'nl').title).toBe('X');
  });

  it('finds a Dutch title and description for every documented rule in policies/', () => {
    const rules = loadRuleTexts(POLICIES);
    expect(rules.length).toBeGreaterThan(30);
    const withoutDutch = rules.filter(
      (r) => r.nl === undefined || r.nl.title === '' || r.nl.description === '',
    );
    expect(withoutDutch.map((r) => `${r.file}: ${r.title}`)).toEqual([]);
    expect(rules.find((r) => r.title === 'Need-to-know (rule 1)')?.nl?.title).toBe('Need-to-know (regel 1)');
    expect(rules.some((r) => r.file.endsWith('_test.rego'))).toBe(false);
  });
});
