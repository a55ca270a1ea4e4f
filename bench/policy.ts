// Micro benchmark: one policy decision on the committed bundle through opa-wasm (prints figures, asserts nothing).
// Run: npm exec -- node bench/policy.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { ENTRYPOINT, loadPolicyEngine, readBundle, type PolicyInput } from '../broker/policy/index.ts';
import { DEFAULT_BUNDLE_FILE, POLICIES_DIR } from '../broker/policy/paths.ts';
import { createWasmEvaluate } from '../broker/policy/wasm-eval.ts';

const WARMUP = 5_000;
const RUNS = 50_000;

const archive = readFileSync(DEFAULT_BUNDLE_FILE);
const engine = await loadPolicyEngine(archive, 'committed');
const { scenarios } = JSON.parse(readFileSync(path.join(POLICIES_DIR, 'scenarios.json'), 'utf8')) as {
  scenarios: { name: string; input: PolicyInput }[];
};

// The same bundle without the engine's checks, once through opa-wasm's evaluate() and once through
// the engine's opa_eval path: where the engine's time goes, measured in the same minute.
const bundle = await readBundle(archive, 'committed');
const library = await loadPolicy(bundle.wasm, { initial: 8, maximum: 512 });
library.setData(bundle.data);
const entrypoint = (library.entrypoints as Record<string, number>)[ENTRYPOINT]!;
const opaEval = createWasmEvaluate(library, entrypoint);

function measure(
  decide: (input: PolicyInput) => unknown,
  inputs: readonly PolicyInput[],
): { median: number; p99: number; mean: number } {
  for (let i = 0; i < WARMUP; i++) decide(inputs[i % inputs.length]!);
  const times = new Float64Array(RUNS);
  for (let i = 0; i < RUNS; i++) {
    const input = inputs[i % inputs.length]!;
    const start = process.hrtime.bigint();
    decide(input);
    times[i] = Number(process.hrtime.bigint() - start);
  }
  times.sort();
  const mean = times.reduce((a, b) => a + b, 0) / RUNS;
  return { median: times[Math.floor(RUNS / 2)]!, p99: times[Math.floor(RUNS * 0.99)]!, mean };
}

const permit = scenarios[0]!.input;
const all = scenarios.map((s) => s.input);
const rows = [
  ['one permit (need-to-know)', measure((i) => engine.decide(i), [permit])],
  [`all ${scenarios.length} scenarios, round robin`, measure((i) => engine.decide(i), all)],
  ['  permit, opa_eval path only', measure(opaEval, [permit])],
  ['  permit, opa-wasm evaluate() only', measure((i) => library.evaluate(i, entrypoint), [permit])],
] as const;
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
console.log(
  `policy decision, bundle ${engine.revision.slice(0, 12)}, ${RUNS} runs after ${WARMUP} warm-up; ` +
    `${new Date().toISOString().slice(0, 16)}Z, load average ${load}`,
);
for (const [name, r] of rows) {
  console.log(
    `  ${name.padEnd(36)} median ${(r.median / 1000).toFixed(1)} µs  p99 ${(r.p99 / 1000).toFixed(1)} µs  mean ${Math.round(r.mean)} ns/op`,
  );
}
