// Fuzzing the policy administration routes' edge (bodies and revision ids) with a recording stand-in for the lifecycle service.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { approvalSchema, proposalSchema, replaySchema } from '../../broker/policy/lifecycle/proposal.ts';
import { policyLifecycleRoutes } from '../../broker/policy/lifecycle/routes.ts';
import type { PolicyLifecycle } from '../../broker/policy/lifecycle/service.ts';
import { createTestApp } from '../support/test-caller.ts';
import { expectWellFormed } from './api-fixture.ts';

const RUNS = 1_500;
let cases = 0;

/**
 * STAND-IN for the lifecycle service (building, approving and replaying are tested in
 * tests/policy/): it records what reached it, so the test can check that only bodies the schemas
 * accept get past the edge.
 */
function recordingLifecycle() {
  const reached: { method: string; body?: unknown }[] = [];
  const answer = (method: string) => (_officer: unknown, _rev: unknown, body?: unknown) => {
    reached.push({ method, body });
    return Promise.resolve({ ok: true });
  };
  const lifecycle = {
    list: () => Promise.resolve([]),
    get: () => Promise.resolve({ revision: 'x' }),
    propose: (_officer: unknown, body: unknown) => {
      reached.push({ method: 'propose', body });
      return Promise.resolve({ revision: 'r' });
    },
    approve: answer('approve'),
    activate: answer('activate'),
    replay: answer('replay'),
  } as unknown as PolicyLifecycle;
  return { lifecycle, reached };
}

const VALID = {
  '/v1/policies': {
    kind: 'rego',
    description: 'nieuwe regel',
    sources: { 'need_to_know.rego': 'package x' },
  },
  approve: { comment: 'gezien', acknowledgeFailingTests: false },
  replay: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', limit: 10 },
};

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(null, '', -1, 1e308, [], {}, '../../etc/passwd', 'a'.repeat(3_000)),
);

describe('fuzzing the policy administration routes', () => {
  const { lifecycle, reached } = recordingLifecycle();
  const app = createTestApp([
    policyLifecycleRoutes({
      lifecycle,
      getOfficer: () => ({ id: 'po-1', partnerId: 'demo-ggz', partnerKind: 'ggz' }),
    }),
  ]);
  afterAll(() => {
    console.log(`fuzz: ${cases} policy administration cases`);
  });

  it('answers hostile bodies and revision ids with a result or a problem+json; only valid bodies reach the service', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/policies', 'approve', 'replay', 'activate'),
        fc.oneof(fc.constantFrom('abc123', '1f2e'), fc.string({ unit: 'grapheme', maxLength: 140 })),
        fc.oneof(
          fc.record({ key: fc.string({ maxLength: 12 }), value: hostile, drop: fc.boolean() }),
          hostile.map((raw) => ({ raw })),
        ),
        async (route, rev, change) => {
          cases += 1;
          const base = route === 'activate' ? {} : VALID[route];
          let body: unknown;
          if ('raw' in change) body = change.raw;
          else {
            const copy: Record<string, unknown> = { ...base };
            if (change.drop && Object.keys(copy).length > 0) delete copy[Object.keys(copy)[0]!];
            else copy[change.key] = change.value;
            body = copy;
          }
          const url = route === '/v1/policies' ? route : `/v1/policies/${encodeURIComponent(rev)}/${route}`;
          const before = reached.length;
          const res = await app.request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await expectWellFormed(res);
          for (const call of reached.slice(before)) {
            const schema =
              call.method === 'propose'
                ? proposalSchema
                : call.method === 'approve'
                  ? approvalSchema
                  : call.method === 'replay'
                    ? replaySchema
                    : undefined;
            if (schema !== undefined) expect(schema.safeParse(call.body).success).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(reached.length).toBeGreaterThan(0);
  }, 120_000);
});
