// Runs every scenario of policies/scenarios.json through the committed wasm bundle via the engine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadPolicyEngine,
  type PolicyDecision,
  type PolicyEngine,
  type PolicyInput,
} from '../../broker/policy/index.ts';
import { POLICIES, committedBundle } from './support.ts';

interface Scenario {
  readonly name: string;
  readonly rule: string;
  readonly input: PolicyInput;
  readonly expect: Readonly<Record<string, unknown>>;
}

const { scenarios } = JSON.parse(readFileSync(path.join(POLICIES, 'scenarios.json'), 'utf8')) as {
  scenarios: Scenario[];
};

/** The same projection policies/tools/wasm-scenarios.js and scenarios_test.rego compare. */
function project(
  decision: PolicyDecision,
  expected: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(expected).map((key) => [
      key,
      key === 'reason_codes'
        ? decision.reasons.map((r) => r.code)
        : key === 'urgent'
          ? decision.review?.urgent
          : (decision as unknown as Record<string, unknown>)[key],
    ]),
  );
}

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(committedBundle(), 'committed');
});

describe('the committed bundle', () => {
  it('holds at least 70 scenarios covering every rule', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(70);
    expect(new Set(scenarios.map((s) => s.rule)).size).toBeGreaterThanOrEqual(7);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const decision = engine.decide(scenario.input);
    expect(project(decision, scenario.expect)).toEqual(scenario.expect);
    expect(decision.revision).toBe(engine.revision);
  });
});
