// Runs policies/scenarios.json through a built wasm bundle with @open-policy-agent/opa-wasm.
// Usage: node policies/tools/wasm-scenarios.js policies/bundle/bundle.tgz
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const require = createRequire(new URL('../../package.json', import.meta.url));
const { loadPolicy } = require('@open-policy-agent/opa-wasm');

// Minimal ustar reader: the bundle holds /policy.wasm, /data.json, /.manifest and sources.
function untar(buffer) {
  const files = new Map();
  for (let at = 0; at + 512 <= buffer.length;) {
    const header = buffer.subarray(at, at + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    files.set(name.replace(/^\//, ''), buffer.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const files = untar(gunzipSync(readFileSync(process.argv[2])));
const manifest = JSON.parse(files.get('.manifest').toString('utf8'));
const policy = await loadPolicy(files.get('policy.wasm'), { initial: 5, maximum: 256 });
policy.setData(JSON.parse(files.get('data.json').toString('utf8')));

const { scenarios } = JSON.parse(readFileSync(new URL('../scenarios.json', import.meta.url), 'utf8'));
const project = (result, expect) =>
  Object.fromEntries(
    Object.keys(expect).map((key) => [
      key,
      key === 'reason_codes'
        ? result.reasons.map((r) => r.code)
        : key === 'urgent'
          ? result.review?.urgent
          : result[key],
    ]),
  );

let failed = 0;
const started = process.hrtime.bigint();
for (const scenario of scenarios) {
  const evaluated = policy.evaluate(scenario.input, 'schakel/decision/result');
  // An undefined result comes back as []: the broker treats it as deny.
  const result = evaluated[0]?.result;
  const actual = result ? project(result, scenario.expect) : { undefined: true };
  if (JSON.stringify(actual) !== JSON.stringify(scenario.expect)) {
    failed += 1;
    console.error(
      `FAIL ${scenario.name}\n  expected ${JSON.stringify(scenario.expect)}\n  got      ${JSON.stringify(actual)}`,
    );
  }
}
const micros = Number(process.hrtime.bigint() - started) / 1000 / scenarios.length;
console.log(
  `wasm (revision ${manifest.revision.slice(0, 12)}…): ${scenarios.length - failed}/${scenarios.length} scenarios pass, ~${micros.toFixed(0)} µs each`,
);
if (failed > 0) process.exit(1);
