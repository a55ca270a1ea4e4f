// Property tests through the committed bundle: what must never happen, on thousands of random questions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPolicyResult } from '../../broker/policy/result-shape.ts';
import {
  loadPolicyEngine,
  type PolicyEngine,
  type PolicyInput,
  type PartnerKind,
} from '../../broker/policy/index.ts';
import { POLICIES, committedBundle } from './support.ts';

interface Catalogue {
  categories: Record<string, { holder_kind: PartnerKind; sensitivity: string; fields: string[] }>;
  purposes: Record<string, unknown>;
  roles: Record<PartnerKind, string[]>;
  phases: Record<string, { purposes: string[] }>;
}
const catalogue = JSON.parse(
  readFileSync(path.join(POLICIES, 'catalogue', 'data.json'), 'utf8'),
) as Catalogue;
const KINDS = Object.keys(catalogue.roles) as PartnerKind[];
const CATEGORIES = Object.keys(catalogue.categories);
const PURPOSES = Object.keys(catalogue.purposes);
const NOW = 1_767_225_600_000;
const RUNS = 10_000;

const partnerId = (kind: PartnerKind) => `demo-${kind}`;
const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>, known: readonly T[]) => fc.oneof(oneOf(known), arb);
const subset = <T>(values: readonly T[]) => fc.subarray([...values]);

const questionArb: fc.Arbitrary<PolicyInput> = fc
  .record({
    requesterKind: oneOf(KINDS),
    holderKind: oneOf(KINDS),
    category: maybe(fc.string({ maxLength: 12 }), CATEGORIES),
    purpose: maybe(fc.string({ maxLength: 12 }), PURPOSES),
    roleIndex: fc.nat(3),
    hasCase: fc.boolean(),
    status: oneOf(['open', 'closed'] as const),
    phase: oneOf(['melding', 'informatie', 'aanpak', 'monitoring', 'gesloten'] as const),
    sameSubject: fc.boolean(),
    memberKinds: subset(KINDS),
    justification: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    consents: fc.array(
      fc.record({
        byHolder: fc.boolean(),
        recipients: subset([...KINDS, ...KINDS.map(partnerId)]),
        purposes: subset(PURPOSES),
        categories: subset(CATEGORIES),
        fromOffset: fc.integer({ min: -10_000, max: 10_000 }),
        untilOffset: fc.integer({ min: -10_000, max: 10_000 }),
        withdrawn: fc.boolean(),
        covering: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    review: fc.option(
      fc.record({
        sameRequest: fc.boolean(),
        byHolder: fc.boolean(),
        role: oneOf(['behandelaar', 'analist', 'officier']),
        decision: oneOf(['release', 'refuse'] as const),
        ground: oneOf([
          'toestemming',
          'conflict_van_plichten',
          'wettelijk_voorschrift',
          'ambtsbericht',
          null,
        ] as const),
        fields: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), { nil: null }),
        allTrue: fc.boolean(),
        provision: fc.option(fc.constant('Wvggz art. 8:29'), { nil: null }),
      }),
      { nil: null },
    ),
    dryRun: fc.boolean(),
    // Half of the questions are coherent (right holder, member of an open case about this subject,
    // purpose allowed in the phase, covering consents), so permits and reviews are reached often.
    coherent: fc.boolean(),
  })
  .map((q): PolicyInput => {
    if (q.coherent) {
      const phase = Object.entries(catalogue.phases).find(([, p]) => p.purposes.includes(q.purpose))?.[0];
      q = {
        ...q,
        holderKind: catalogue.categories[q.category]?.holder_kind ?? q.holderKind,
        hasCase: true,
        status: 'open',
        sameSubject: true,
        phase: (phase ?? q.phase) as typeof q.phase,
        memberKinds: [...new Set([...q.memberKinds, q.requesterKind])],
      };
    }
    const holderId = partnerId(q.holderKind);
    const roles = catalogue.roles[q.requesterKind];
    const role = roles[q.roleIndex % roles.length] ?? 'analist';
    const requesterId = partnerId(q.requesterKind);
    const fields = catalogue.categories[q.category]?.fields ?? [];
    return {
      now_ms: NOW,
      request_id: 'req-1',
      requester: { partner_id: requesterId, kind: q.requesterKind, national: false, role, user: 'u-1' },
      holder: { partner_id: holderId, kind: q.holderKind },
      subject: { pseudonym: 'pseudo-1' },
      case: q.hasCase
        ? {
            id: 'case-1',
            status: q.status,
            phase: q.phase,
            subject_pseudonym: q.sameSubject ? 'pseudo-1' : 'pseudo-2',
            lead_partner: 'demo-politie',
            emergency: false,
            members: q.memberKinds.map((k) => ({
              partner_id: partnerId(k),
              role: k === q.requesterKind ? role : (catalogue.roles[k][0] ?? 'analist'),
            })),
          }
        : null,
      purpose: q.purpose,
      category: q.category,
      justification: q.justification,
      consents: q.consents.map((c, i) => ({
        id: `consent-${i}`,
        holder_partner_id: c.byHolder ? holderId : requesterId,
        recipients: c.covering ? [q.requesterKind] : c.recipients,
        purposes: c.covering ? [q.purpose] : c.purposes,
        categories: c.covering ? [q.category] : c.categories,
        valid_from_ms: NOW + c.fromOffset,
        valid_until_ms: NOW + c.untilOffset,
        withdrawn: c.withdrawn,
      })),
      review:
        q.review === null
          ? null
          : {
              request_id: q.review.sameRequest ? 'req-1' : 'req-2',
              reviewer_partner_id: q.review.byHolder ? holderId : requesterId,
              reviewer_role: q.review.role,
              decision: q.review.decision,
              ground: q.review.ground,
              fields: q.review.fields === null ? null : [...q.review.fields, ...fields.slice(0, 1)],
              considerations: {
                toestemming: 'geweigerd',
                gewetensnood: q.review.allTrue,
                subsidiariteit: true,
                schade: true,
                doelmatigheid: true,
                proportionaliteit: true,
                collega_geraadpleegd: false,
              },
              provision: q.review.provision,
              reden_code: null,
            },
      dry_run: q.dryRun,
    };
  });

/** A ground the holder itself established for this very request (beroepsgeheim). */
function hasMedicalGround(input: PolicyInput): boolean {
  if (input.dry_run) return false;
  const consent = input.consents.some(
    (c) =>
      c.holder_partner_id === input.holder.partner_id &&
      !c.withdrawn &&
      c.valid_from_ms <= input.now_ms &&
      input.now_ms < c.valid_until_ms &&
      c.purposes.includes(input.purpose) &&
      c.categories.includes(input.category),
  );
  const review =
    input.review !== null &&
    input.review.decision === 'release' &&
    input.review.request_id === input.request_id &&
    input.review.reviewer_partner_id === input.holder.partner_id;
  return consent || review;
}

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(committedBundle(), 'committed');
});

describe('policy properties', () => {
  it('draws questions that reach every outcome, medical permits included', () => {
    const seen = new Set<string>();
    for (const input of fc.sample(questionArb, { numRuns: RUNS, seed: 5 })) {
      const d = engine.decide(input);
      const medical = catalogue.categories[input.category]?.sensitivity === 'medisch';
      seen.add(`${d.decision}${medical ? ' medical' : ''}`);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['deny', 'permit', 'permit medical', 'review', 'review medical']),
    );
  });

  it('always answers a well-formed result with fields only from the category', () => {
    fc.assert(
      fc.property(questionArb, (input) => {
        const decision = engine.decide(input);
        expect(isPolicyResult(decision)).toBe(true);
        const allowed = catalogue.categories[input.category]?.fields ?? [];
        expect(decision.fields.every((f) => allowed.includes(f))).toBe(true);
        if (decision.decision !== 'permit') expect(decision.fields).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never permits a medical category without a ground the holder established', () => {
    fc.assert(
      fc.property(questionArb, (input) => {
        const decision = engine.decide(input);
        if (
          catalogue.categories[input.category]?.sensitivity === 'medisch' &&
          decision.decision === 'permit'
        ) {
          expect(hasMedicalGround(input)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never permits in a dry run what depends on the person (medical categories)', () => {
    fc.assert(
      fc.property(questionArb, (input) => {
        const decision = engine.decide({ ...input, dry_run: true });
        if (catalogue.categories[input.category]?.sensitivity === 'medisch') {
          expect(decision.decision).not.toBe('permit');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('denies malformed input', () => {
    const keys = Object.keys(fc.sample(questionArb, 1)[0]!);
    const junk = fc.oneof(
      fc.constant(undefined),
      fc.integer(),
      fc.string(),
      fc.constant({}),
      fc.constant([1]),
    );
    fc.assert(
      fc.property(questionArb, oneOf(keys), junk, (input, key, value) => {
        const broken: Record<string, unknown> = { ...input };
        if (value === undefined) delete broken[key];
        else broken[key] = value;
        fc.pre(
          JSON.stringify(broken[key]) !== JSON.stringify((input as unknown as Record<string, unknown>)[key]),
        );
        // Some replacements are still valid input (e.g. a string purpose); only type errors must deny.
        const typeBroken =
          value === undefined ||
          typeof value !== typeof (input as unknown as Record<string, unknown>)[key] ||
          Array.isArray(value) !== Array.isArray((input as unknown as Record<string, unknown>)[key]);
        fc.pre(typeBroken && !(key === 'justification' && typeof value === 'string'));
        const decision = engine.decide(broken as unknown as PolicyInput);
        expect(decision.decision).toBe('deny');
        expect(decision.fields).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('denies input that is not an object at all', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        fc.pre(typeof value !== 'object' || value === null || Array.isArray(value));
        expect(engine.decide(value as PolicyInput).decision).toBe('deny');
      }),
      { numRuns: 500 },
    );
  });
});
