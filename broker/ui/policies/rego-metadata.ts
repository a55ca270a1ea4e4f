// Reads the `# METADATA` blocks of Rego sources: each rule's title and description in plain language.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** One documented rule or package. */
export interface RuleText {
  readonly file: string;
  readonly title: string;
  readonly description: string;
  /** The rule the block annotates (its first line's name), or undefined for a package block. */
  readonly rule: string | undefined;
}

/** Every METADATA block in `files` (file name -> Rego source), in file and line order. */
export function ruleTexts(files: Readonly<Record<string, string>>): RuleText[] {
  const out: RuleText[] = [];
  for (const [file, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const lines = source.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]?.trim() !== '# METADATA') continue;
      let title = '';
      const description: string[] = [];
      let inDescription = false;
      let j = i + 1;
      for (; j < lines.length && lines[j]!.startsWith('#'); j++) {
        const text = lines[j]!.replace(/^#\s?/, '');
        const key = /^([a-z_]+):\s*(.*)$/.exec(text);
        if (key !== null && !text.startsWith(' ')) {
          inDescription = key[1] === 'description';
          if (key[1] === 'title') title = key[2]!.trim();
          if (inDescription && key[2] !== '|' && key[2] !== '>' && key[2] !== '>-' && key[2] !== '|-') {
            description.push(key[2]!.trim());
          }
        } else if (inDescription) {
          description.push(text.trim());
        }
      }
      const next = lines[j]?.trim() ?? '';
      const rule = next.startsWith('package ') ? undefined : /^([a-z_][a-z0-9_]*)/.exec(next)?.[1];
      if (title !== '') out.push({ file, title, description: description.join(' ').trim(), rule });
      i = j - 1;
    }
  }
  return out;
}

/** The rules of the policy files (not the tests) in a policies folder. */
export function loadRuleTexts(dir: string): RuleText[] {
  const files = readdirSync(dir).filter(
    (f) => /^[a-z][a-z0-9_]*\.rego$/.test(f) && !f.endsWith('_test.rego'),
  );
  return ruleTexts(Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')])));
}
