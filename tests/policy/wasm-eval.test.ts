// The engine's opa_eval path answers exactly as opa-wasm's evaluate does, including inputs that grow the memory.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle, ENTRYPOINT } from '../../broker/policy/bundle.ts';
import { loadPolicyEngine, type PolicyInput } from '../../broker/policy/index.ts';
import { createWasmEvaluate, type WasmEvaluate } from '../../broker/policy/wasm-eval.ts';
import { POLICIES, committedBundle } from './support.ts';

const { scenarios } = JSON.parse(readFileSync(path.join(POLICIES, 'scenarios.json'), 'utf8')) as {
  scenarios: { name: string; input: PolicyInput }[];
};
const PAGE = 64 * 1024;

async function instantiate(maximumPages = 512): Promise<{ policy: LoadedPolicy; entrypoint: number }> {
  const bundle = await readBundle(committedBundle(), 'committed');
  const policy = await loadPolicy(bundle.wasm, { initial: 8, maximum: maximumPages });
  policy.setData(bundle.data);
  return { policy, entrypoint: (policy.entrypoints as Record<string, number>)[ENTRYPOINT]! };
}

/** The permit scenario with a justification of `size` characters of `unit`. */
const withJustification = (unit: string, size: number): PolicyInput => ({
  ...scenarios[0]!.input,
  justification: unit.repeat(Math.ceil(size / unit.length)).slice(0, size),
});

let library: LoadedPolicy;
let entrypoint: number;
let evaluate: WasmEvaluate;
beforeAll(async () => {
  // Two instances: the library's evaluate and ours must not share a heap.
  ({ policy: library, entrypoint } = await instantiate());
  const ours = await instantiate();
  evaluate = createWasmEvaluate(ours.policy, ours.entrypoint);
});

describe('createWasmEvaluate', () => {
  it('returns the result set opa-wasm returns for every scenario', () => {
    for (const { name, input } of scenarios) {
      expect(evaluate(input), name).toEqual(library.evaluate(input, entrypoint));
    }
  });

  it('returns the same answer twice in a row (the heap is reset per call)', () => {
    const input = scenarios[1]!.input;
    expect(evaluate(input)).toEqual(evaluate(input));
    expect(evaluate(input)).toEqual(library.evaluate(input, entrypoint));
  });

  it('encodes non-ASCII text as UTF-8 (Dutch, symbols, astral characters)', () => {
    const input = withJustification('Één café, ☃ en 😀 — ', 200);
    expect(evaluate(input)).toEqual(library.evaluate(input, entrypoint));
  });

  it('returns what opa-wasm returns for scenario inputs with arbitrary text in their strings', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.constantFrom(...scenarios.map((s) => s.input)),
        fc.record({ justification: text, purpose: text, category: text, request_id: text }),
        fc.subarray(['justification', 'purpose', 'category', 'request_id'] as const),
        (base, values, keys) => {
          const input = { ...base, ...Object.fromEntries(keys.map((k) => [k, values[k]])) };
          expect(evaluate(input)).toEqual(library.evaluate(input, entrypoint));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('grows the memory for an input larger than the memory it has', async () => {
    const { policy, entrypoint: ep } = await instantiate();
    const before = policy.mem.buffer.byteLength;
    const input = withJustification('é', 2 * before);
    const result = createWasmEvaluate(policy, ep)(input);
    expect(policy.mem.buffer.byteLength).toBeGreaterThan(before);
    expect(result).toEqual(library.evaluate(input, entrypoint));
  });

  it('throws rather than answers when the input does not fit under the memory maximum', async () => {
    const { policy, entrypoint: ep } = await instantiate(16);
    const tooBig = withJustification('x', 20 * PAGE);
    expect(() => createWasmEvaluate(policy, ep)(tooBig)).toThrow(RangeError);
  });
});

describe('the engine on the opa_eval path', () => {
  it('refuses with ERR_POLICY_UNAVAILABLE when the input exceeds maxMemoryBytes', async () => {
    const engine = await loadPolicyEngine(committedBundle(), 'committed', { maxMemoryBytes: 16 * PAGE });
    expect(engine.decide(scenarios[0]!.input).decision).toBe('permit');
    expect(() => engine.decide(withJustification('x', 20 * PAGE))).toThrow(
      expect.objectContaining({ code: 'ERR_POLICY_UNAVAILABLE' }),
    );
  });
});
