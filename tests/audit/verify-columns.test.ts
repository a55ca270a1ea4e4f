// The verifier's column check: the quick reading of a body's members agrees with parsing it, for every body and every column.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { membersOf, valueAt } from '../../broker/audit/body-fields.ts';
import { canonicalJson } from '../../broker/audit/canonical.ts';
import type { AuditRecord } from '../../broker/audit/contract.ts';
import { partiesOf } from '../../broker/audit/entry.ts';
import {
  columnProblem,
  columnProblemFromMembers,
  columnProblemFromParse,
  UNSURE,
  type EntryColumns,
} from '../../broker/audit/verify-columns.ts';

describe('membersOf', () => {
  it('finds top-level members and skips nested ones of the same name', () => {
    const text = canonicalJson({
      actor: { holder: 'nested', partnerId: 'p' },
      details: { type: 'nested', list: [{ holder: 'deeper' }, '}', ']'], s: '{"holder":"in a string"}' },
      holder: 'top',
      n: -1.5,
      ok: true,
      type: 'disclosure',
      z: null,
    });
    // The string in details is written with escapes: left to the parse.
    expect(membersOf(text, ['holder'])).toBeUndefined();
    const plain = canonicalJson({
      actor: { holder: 'nested', partnerId: 'p' },
      details: { type: 'nested', list: [{ holder: 'deeper' }, '}', ']', '{', '['] },
      holder: 'top',
      n: -1.5,
      ok: true,
      type: 'disclosure',
      z: null,
    });
    const wanted = ['holder', 'type', 'n', 'ok', 'z', 'actor', 'missing'];
    const members = membersOf(plain, wanted)!;
    const read = (name: string) => valueAt(plain, members, wanted.indexOf(name));
    expect(read('holder')).toBe('top');
    expect(read('type')).toBe('disclosure');
    expect(read('n')).toBe(-1.5);
    expect(read('ok')).toBe(true);
    expect(read('z')).toBeNull();
    expect(read('actor')).toEqual({ holder: 'nested', partnerId: 'p' });
    expect(read('missing')).toBeUndefined();
    const [actorStart, actorEnd] = members.slice(10, 12);
    expect(valueAt(plain, membersOf(plain, ['partnerId'], actorStart, actorEnd)!, 0)).toBe('p');
  });

  it('declines what is not laid out as canonical JSON', () => {
    for (const text of [
      '{ "type":"x"}',
      '{"type": "x"}',
      '{"type":"x" }',
      '{"type":"x",}',
      '{"type":"x"',
      '{"type":"x"}}',
      '{"type":{"a":1}',
      '{"type"}',
      '{type:"x"}',
      '["type","x"]',
      '"x"',
      '',
      '{"a":"\\u0074"}',
      '{"type":1x}',
      '{"type":tru e}',
    ]) {
      expect(membersOf(text, ['type']), text).toBeUndefined();
    }
    expect(membersOf('{}', ['type'])).toEqual([-1, -1]);
  });
});

/** The columns the batch writer derives from a record, with `parties` as PostgreSQL prints the jsonb. */
function columnsOf(doc: Record<string, unknown>, body: string): EntryColumns {
  const actor = doc.actor as { partnerId?: unknown } | undefined;
  // As the batch writer derives it (a parties member that is no list is refused when appended).
  const parties = partiesOf({
    ...doc,
    parties: Array.isArray(doc.parties) ? doc.parties : undefined,
  } as unknown as AuditRecord);
  return {
    type: typeof doc.type === 'string' ? doc.type : 'disclosure',
    confidential: doc.confidential === true,
    parties: `[${parties.map((p) => JSON.stringify(p)).join(', ')}]`,
    requester: typeof actor?.partnerId === 'string' ? actor.partnerId : null,
    holder: typeof doc.holder === 'string' ? doc.holder : null,
    subject_pseudonym: typeof doc.subjectPseudonym === 'string' ? doc.subjectPseudonym : null,
    body,
  };
}

// Names and values chosen to collide with what the check reads: nested members of the same names,
// strings that look like JSON, escapes, non-ASCII, and values of the wrong type.
// Most without escapes, as the broker's are: only those take the quick path.
const name = fc.oneof(
  {
    arbitrary: fc.constantFrom('demo-ggz', 'demo-politie', 'aivd', 'b', 'a', 'é', '}', ']', '{', ':', ','),
    weight: 30,
  },
  { arbitrary: fc.constantFrom('"q"', 'a\\b', '\n', '{"x":1}'), weight: 1 },
);
const oddValue = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.array(name, { maxLength: 2 }));
/** Mostly a name, sometimes a value of another type. */
const mostlyName = fc.oneof({ arbitrary: name, weight: 4 }, { arbitrary: oddValue, weight: 1 });
/** Usually absent: a member the quick path leaves to the parse. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: arb, weight: 1 });
const key = fc.constantFrom(
  'holder',
  'type',
  'actor',
  'partnerId',
  'parties',
  'confidential',
  'subjectPseudonym',
  'x',
);
const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    name,
    oddValue,
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
})).value;
const record = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('disclosure', 'decision'), name, oddValue),
      actor: fc.oneof(
        fc.record({ partnerId: mostlyName, role: name, holder: name }, { requiredKeys: [] }),
        oddValue,
        name,
      ),
      holder: mostlyName,
      subjectPseudonym: mostlyName,
      confidential: fc.oneof(fc.boolean(), oddValue),
      parties: rarely(fc.oneof(fc.array(name, { maxLength: 3 }), oddValue)),
      details: fc.dictionary(key, nested, { maxKeys: 4 }),
      reasonCodes: fc.array(name, { maxLength: 3 }),
      v: fc.constant(1),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

/** One column changed, or none. */
const change = fc.option(
  fc.record({
    column: fc.constantFrom('type', 'confidential', 'parties', 'requester', 'holder', 'subject_pseudonym'),
    to: fc.oneof(name, fc.constant(null), fc.constant('[]'), fc.constant('["demo-ggz"]')),
  }),
  { nil: undefined },
);

function changed(columns: EntryColumns, c: { column: string; to: string | null } | undefined): EntryColumns {
  if (c === undefined) return columns;
  switch (c.column) {
    case 'type':
      return { ...columns, type: c.to ?? '' };
    case 'confidential':
      return { ...columns, confidential: !columns.confidential };
    case 'parties':
      return { ...columns, parties: c.to ?? '[]' };
    default:
      return { ...columns, [c.column]: c.to };
  }
}

/** The parse's answer, or 'throws'. */
function parsed(row: EntryColumns): string | undefined {
  try {
    return columnProblemFromParse(row);
  } catch {
    return 'throws';
  }
}

describe('the column check', () => {
  it('gives the parse’s answer for every canonical body (every body the broker writes)', () => {
    let answeredQuickly = 0;
    let runs = 0;
    fc.assert(
      fc.property(record, change, (doc, c) => {
        runs += 1;
        const row = changed(columnsOf(doc, canonicalJson(doc)), c);
        const quick = columnProblemFromMembers(row);
        if (quick === UNSURE) return;
        answeredQuickly += 1;
        expect(quick).toBe(parsed(row));
      }),
      { numRuns: 5_000 },
    );
    // Not vacuous: the quick reading answered for a good share of the bodies.
    expect(answeredQuickly).toBeGreaterThan(runs / 5);
  });

  it('on other text, never finds equal what the parse finds different, and never throws', () => {
    // Whitespace, random text and canonical bodies with one character changed, inserted or removed
    // (control characters and brackets among them). The scanner is no JSON validator: where the
    // parse refuses the text as JSON it may still find the columns equal (such a body cannot hash
    // into a signed checkpoint root, so the log still fails verification, at its checkpoint range).
    const damaged = fc
      .tuple(
        record,
        fc.nat(),
        fc.constantFrom('replace', 'insert', 'remove'),
        fc.constantFrom('\t', '\u0001', '{', '}', '[', ']', ',', ':', '"', ' ', 'x', '1', '-'),
      )
      .map(([doc, at, how, ch]) => {
        const body = canonicalJson(doc);
        const i = at % (body.length + 1);
        const text =
          how === 'insert'
            ? body.slice(0, i) + ch + body.slice(i)
            : how === 'remove'
              ? body.slice(0, i) + body.slice(i + 1)
              : body.slice(0, i) + ch + body.slice(i + 1);
        return { doc, text };
      });
    const other = fc.oneof(
      record.map((doc) => ({ doc, text: JSON.stringify(doc, null, 1) })),
      fc.tuple(record, fc.string()).map(([doc, text]) => ({ doc, text })),
      damaged,
      damaged,
    );
    let answeredQuickly = 0;
    fc.assert(
      fc.property(other, change, ({ doc, text }, c) => {
        const row = changed(columnsOf(doc, text), c);
        const quick = columnProblemFromMembers(row);
        if (quick === UNSURE) return;
        answeredQuickly += 1;
        const reference = parsed(row);
        if (reference === 'its body is not JSON') return;
        expect(quick).toBe(reference);
      }),
      { numRuns: 5_000 },
    );
    expect(answeredQuickly).toBeGreaterThan(100);
  });

  it('names the column that differs, on the quick path', () => {
    const doc = {
      actor: { partnerId: 'demo-politie' },
      holder: 'demo-ggz',
      subjectPseudonym: 'p1.x',
      type: 'disclosure',
      details: { holder: 'demo-politie', type: 'decision' },
    };
    const body = canonicalJson(doc);
    const row = columnsOf(doc, body);
    expect(columnProblemFromMembers(row)).toBeUndefined();
    expect(columnProblem({ ...row, holder: 'demo-politie' })).toBe(
      'its holder column differs from the hashed body',
    );
    expect(columnProblemFromMembers({ ...row, type: 'decision' })).toBe(
      'its type column differs from the hashed body',
    );
    expect(columnProblemFromMembers({ ...row, requester: null })).toBe(
      'its requester column differs from the hashed body',
    );
    expect(columnProblemFromMembers({ ...row, parties: '["demo-ggz"]' })).toBe(
      'its parties column differs from the hashed body',
    );
    expect(columnProblemFromMembers({ ...row, confidential: true })).toBe(
      'its confidential column differs from the hashed body',
    );
    expect(columnProblemFromMembers({ ...row, subject_pseudonym: 'p1.y' })).toBe(
      'its subject_pseudonym column differs from the hashed body',
    );
  });
});
