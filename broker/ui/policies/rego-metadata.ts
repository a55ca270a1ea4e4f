// Reads the `# METADATA` blocks of Rego sources: each rule's title and description in English and, from `custom.nl`, in Dutch.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../i18n/language.ts';

/** A title and description in one language. */
export interface RuleWords {
  readonly title: string;
  readonly description: string;
}

/** One documented rule or package. */
export interface RuleText extends RuleWords {
  readonly file: string;
  /** The rule the block annotates (its first line's name), or undefined for a package block. */
  readonly rule: string | undefined;
  /** The Dutch words from the block's `custom: nl: {title, description}`, when it has them. */
  readonly nl: RuleWords | undefined;
}

type Yaml = { [key: string]: Yaml | string };

/**
 * The YAML of one METADATA block, as far as the pages need it: nested mappings, plain scalars and
 * block scalars (`|`, `>`, with `-`/`+`). List items (`schemas: - input: ...`) are skipped.
 */
export function parseMetadataYaml(lines: readonly string[]): Yaml {
  // Without a prototype, a key named __proto__ is a key like any other.
  const root = Object.create(null) as Yaml;
  const stack: { indent: number; node: Yaml }[] = [{ indent: -1, node: root }];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('- ')) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^([A-Za-z_][A-Za-z0-9_-]*):(?:\s+(.*))?$/.exec(line.trim());
    if (m === null) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const key = m[1]!;
    const value = (m[2] ?? '').trim();
    const block = /^([|>])([+-]?)$/.exec(value);
    if (block !== null) {
      const body: string[] = [];
      let bodyIndent: number | undefined;
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        const nextIndent = next.length - next.trimStart().length;
        if (next.trim() !== '' && nextIndent <= indent) break;
        bodyIndent ??= next.trim() === '' ? undefined : nextIndent;
        body.push(next.slice(bodyIndent ?? 0));
        i++;
      }
      const text =
        block[1] === '|'
          ? body.join('\n')
          : body
              .map((l) => l.trim())
              .join(' ')
              .replace(/\s+/g, ' ');
      parent[key] = text.trim();
    } else if (value === '') {
      const child = Object.create(null) as Yaml;
      parent[key] = child;
      stack.push({ indent, node: child });
    } else {
      parent[key] = value.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    }
  }
  return root;
}

const text = (value: Yaml | string | undefined): string =>
  typeof value === 'string' ? value.replace(/\s*\n\s*/g, ' ').trim() : '';

/** Every METADATA block in `files` (file name -> Rego source), in file and line order. */
export function ruleTexts(files: Readonly<Record<string, string>>): RuleText[] {
  const out: RuleText[] = [];
  for (const [file, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const lines = source.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]?.trim() !== '# METADATA') continue;
      let j = i + 1;
      const yaml: string[] = [];
      for (; j < lines.length && lines[j]!.startsWith('#'); j++) yaml.push(lines[j]!.replace(/^#\s?/, ''));
      const meta = parseMetadataYaml(yaml);
      const next = lines[j]?.trim() ?? '';
      const rule = next.startsWith('package ')
        ? undefined
        : /^(?:default\s+)?([a-z_][a-z0-9_]*)/.exec(next)?.[1];
      const custom = meta.custom;
      const nl = typeof custom === 'object' ? custom.nl : undefined;
      const title = text(meta.title);
      if (title !== '') {
        out.push({
          file,
          rule,
          title,
          description: text(meta.description),
          nl:
            typeof nl === 'object' && text(nl.title) !== ''
              ? { title: text(nl.title), description: text(nl.description) }
              : undefined,
        });
      }
      i = j - 1;
    }
  }
  return out;
}

/** The rules of the policy files (not the tests) among a revision's Rego sources. */
export function ruleTextsOfSources(rego: Readonly<Record<string, string>>): RuleText[] {
  return ruleTexts(
    Object.fromEntries(
      Object.entries(rego).filter(([f]) => /^[a-z][a-z0-9_]*\.rego$/.test(f) && !f.endsWith('_test.rego')),
    ),
  );
}

/** The rules of the policy files (not the tests) in a policies folder. */
export function loadRuleTexts(dir: string): RuleText[] {
  const files = readdirSync(dir).filter((f) => /^[a-z][a-z0-9_]*\.rego$/.test(f));
  return ruleTextsOfSources(
    Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')])),
  );
}

/** A rule's words in the person's language: Dutch from `custom.nl` where the block has it, else English. */
export function ruleWords(rule: RuleText, lang: Lang): RuleWords {
  return lang === 'nl' && rule.nl !== undefined ? rule.nl : rule;
}
