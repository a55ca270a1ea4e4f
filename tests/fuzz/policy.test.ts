// Fuzzing the compiled policy (wasm): random and mutated inputs never crash it, never corrupt it, and never permit a malformed question.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyUnavailableError } from '../../broker/policy/errors.ts';
import { loadPolicyEngine, type PolicyEngine, type PolicyInput } from '../../broker/policy/index.ts';
import { PROJECT_ROOT } from '../support/processes.ts';
import { shapeBreaks, type InputSchema } from './policy-input-shape.ts';

const RUNS = { garbage: 5_000, mutated: 5_000 };
let cases = 0;

const catalogue = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'policies/catalogue/data.json'), 'utf8'),
) as {
  categories: Record<string, { fields: string[] }>;
  purposes: Record<string, unknown>;
  roles: Record<string, string[]>;
};
const inputSchema = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'policies/schema/input.json'), 'utf8'),
) as InputSchema;

const NOW = 1_767_225_600_000;
/** The police's casusregisseur asking the OM for its criminal cases in an included case: a permit. */
const BASE: PolicyInput = {
  now_ms: NOW,
  request_id: 'req-1',
  requester: {
    partner_id: 'demo-politie',
    kind: 'politie',
    national: true,
    role: 'casusregisseur',
    user: 'u-1',
  },
  holder: { partner_id: 'demo-om', kind: 'om' },
  subject: { pseudonym: 'p1.x' },
  case: {
    id: 'case-1',
    status: 'open',
    phase: 'informatie',
    subject_pseudonym: 'p1.x',
    lead_partner: 'demo-politie',
    emergency: false,
    members: [
      { partner_id: 'demo-politie', role: 'casusregisseur' },
      { partner_id: 'demo-om', role: 'officier' },
    ],
  },
  purpose: 'risicotaxatie',
  category: 'om.strafzaken',
  justification: null,
  consents: [],
  review: null,
  dry_run: false,
};

/** Decides, allowing only the one documented failure (503, nothing disclosed). */
function decideOrUnavailable(engine: PolicyEngine, input: unknown) {
  try {
    return engine.decide(input as PolicyInput);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyUnavailableError);
    return undefined;
  }
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return [prefix];
}

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(null, '', 0, -1, 1e308, -1e308, true, false, [], {}, 'permit', '*', 'demo-om'),
);

const partner = fc.record({
  partner_id: fc.constantFrom('demo-politie', 'demo-om', 'demo-ggz', 'demo-dkdb'),
  kind: fc.constantFrom(...Object.keys(catalogue.roles)),
});
/** Each fact of a question as a real one would give it (or BASE's own), else something hostile. */
const pieces: Record<keyof PolicyInput, fc.Arbitrary<unknown>> = {
  now_ms: fc.constant(NOW),
  request_id: fc.constant('req-1'),
  requester: fc.record({
    partner_id: fc.constantFrom('demo-politie', 'demo-om', 'demo-ggz'),
    kind: fc.constantFrom(...Object.keys(catalogue.roles)),
    national: fc.boolean(),
    role: fc.constantFrom(...Object.values(catalogue.roles).flat()),
    user: fc.constant('u-1'),
  }),
  holder: partner,
  subject: fc.constant(BASE.subject),
  case: fc.constantFrom(BASE.case, null),
  purpose: fc.constantFrom(...Object.keys(catalogue.purposes)),
  category: fc.constantFrom(...Object.keys(catalogue.categories)),
  justification: fc.constantFrom(null, 'dreiging'),
  consents: fc.constant([]),
  review: fc.constant(null),
  dry_run: fc.boolean(),
};
/**
 * Random input made of the pieces of real questions: some facts missing, some hostile, the rest
 * realistic (every category of the catalogue among them), so that it reaches the rules that permit
 * and a policy that stopped refusing malformed questions would permit some of it.
 */
const piecemeal = fc.record(
  Object.fromEntries(
    Object.entries(pieces).map(([k, real]) => [k, fc.oneof({ weight: 4, arbitrary: real }, hostile)]),
  ),
  { requiredKeys: [] },
);

describe('fuzzing the policy (wasm)', () => {
  let engine: PolicyEngine;
  beforeAll(async () => {
    engine = await loadPolicyEngine(
      readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')),
      'committed',
    );
    expect(engine.decide(BASE).decision).toBe('permit');
  });
  afterAll(() => {
    console.log(`fuzz: ${cases} policy cases`);
  });

  it('never permits random input that is not a well-formed question, and keeps deciding correctly afterwards', () => {
    let permits = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.dictionary(fc.constantFrom(...Object.keys(BASE), 'x', '__proto__'), hostile, { maxKeys: 14 }),
          piecemeal,
        ),
        (input) => {
          cases += 1;
          const decision = decideOrUnavailable(engine, input);
          if (decision?.decision !== 'permit') return;
          permits += 1;
          expect(shapeBreaks(inputSchema, input), 'malformed facts of a permitted input').toEqual([]);
        },
      ),
      { numRuns: RUNS.garbage },
    );
    console.log(`fuzz: ${permits} of ${RUNS.garbage} random inputs permitted (each a well-formed question)`);
    // The linear memory is intact: the same question gets the same answer.
    expect(engine.decide(BASE).decision).toBe('permit');
  });

  it('answers mutated questions with a well-formed decision: deny when a fact the rules read is missing or mistyped, and a permit releases only catalogue fields of a known category', () => {
    const paths = pathsOf(BASE).filter((p) => p.length > 0);
    let malformed = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(),
            kind: fc.constantFrom('replace', 'delete'),
            value: fc.oneof(hostile, pieces.category, pieces.requester, partner),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (mutations) => {
          cases += 1;
          const input = structuredClone(BASE) as unknown as Record<string, unknown>;
          for (const m of mutations) {
            const target = paths[m.at % paths.length]!;
            let parent: Record<string | number, unknown> | undefined = input;
            for (const step of target.slice(0, -1)) {
              const next: unknown = parent?.[step];
              parent =
                typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
            }
            if (parent === undefined) continue;
            if (m.kind === 'replace') parent[target.at(-1)!] = m.value;
            else delete parent[target.at(-1)!];
          }
          const decision = decideOrUnavailable(engine, input);
          if (decision === undefined) return;
          expect(['permit', 'deny', 'review']).toContain(decision.decision);
          // A missing or wrongly typed fact the rules read denies (INPUT_MALFORMED or a rule's own code).
          const breaks = shapeBreaks(inputSchema, input);
          if (breaks.length > 0) {
            malformed += 1;
            expect(decision.decision, `decision on an input with malformed ${breaks.join(', ')}`).toBe(
              'deny',
            );
            expect(decision.fields).toEqual([]);
          }
          if (decision.decision === 'permit') {
            const category = catalogue.categories[input.category as string];
            expect(category, `permit for category ${String(input.category)}`).toBeDefined();
            for (const field of decision.fields ?? []) {
              expect(category!.fields.some((f) => field === f || field.startsWith(`${f}.`))).toBe(true);
            }
          }
        },
      ),
      { numRuns: RUNS.mutated },
    );
    console.log(
      `fuzz: ${malformed} of ${RUNS.mutated} mutated inputs broke a fact the rules read (all denied)`,
    );
    // The property above asserted something: a good share of the mutations break the shape.
    expect(malformed).toBeGreaterThan(RUNS.mutated / 10);
    expect(engine.decide(BASE).decision).toBe('permit');
  });
});
