// Micro benchmark: one policy decision on the committed bundle through opa-wasm (prints figures, asserts nothing).
// Run: npm exec -- node bench/policy.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicyEngine, type PolicyInput } from '../broker/policy/index.ts';
import { DEFAULT_BUNDLE_FILE, POLICIES_DIR } from '../broker/policy/paths.ts';

const WARMUP = 5_000;
const RUNS = 50_000;

const engine = await loadPolicyEngine(readFileSync(DEFAULT_BUNDLE_FILE), 'committed');
const { scenarios } = JSON.parse(readFileSync(path.join(POLICIES_DIR, 'scenarios.json'), 'utf8')) as {
  scenarios: { name: string; input: PolicyInput }[];
};

function measure(inputs: readonly PolicyInput[]): { median: number; p99: number; mean: number } {
  for (let i = 0; i < WARMUP; i++) engine.decide(inputs[i % inputs.length]!);
  const times = new Float64Array(RUNS);
  for (let i = 0; i < RUNS; i++) {
    const input = inputs[i % inputs.length]!;
    const start = process.hrtime.bigint();
    engine.decide(input);
    times[i] = Number(process.hrtime.bigint() - start);
  }
  times.sort();
  const mean = times.reduce((a, b) => a + b, 0) / RUNS;
  return { median: times[Math.floor(RUNS / 2)]!, p99: times[Math.floor(RUNS * 0.99)]!, mean };
}

const permit = scenarios[0]!.input;
const rows = [
  ['one permit (need-to-know)', measure([permit])],
  [`all ${scenarios.length} scenarios, round robin`, measure(scenarios.map((s) => s.input))],
] as const;
console.log(`policy decision, bundle ${engine.revision.slice(0, 12)}, ${RUNS} runs after ${WARMUP} warm-up`);
for (const [name, r] of rows) {
  console.log(
    `  ${name.padEnd(36)} median ${(r.median / 1000).toFixed(1)} µs  p99 ${(r.p99 / 1000).toFixed(1)} µs  mean ${Math.round(r.mean)} ns/op`,
  );
}
