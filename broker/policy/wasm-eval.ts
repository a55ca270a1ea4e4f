// One opa-wasm evaluation through the ABI 1.2 `opa_eval` call, without opa-wasm's per-call copies.
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';

/** WebAssembly pages are 64 KiB. */
const PAGE = 64 * 1024;

/** The `opa_eval` export of ABI 1.2: (reserved, entrypoint, data, input, input length, heap, format) → JSON address. */
type OpaEval = (
  reserved: number,
  entrypoint: number,
  dataAddr: number,
  inputAddr: number,
  inputLength: number,
  heapAddr: number,
  format: number,
) => number;

/** Evaluates one entrypoint and returns the result set, as opa-wasm's `evaluate` does. */
export type WasmEvaluate = (input: unknown) => unknown;

function opaEvalOf(policy: LoadedPolicy): OpaEval | undefined {
  const instance = policy.wasmInstance as WebAssembly.Instance;
  const opaEval = instance.exports?.opa_eval;
  return Number(policy.minorVersion) >= 2 && typeof opaEval === 'function' ? (opaEval as OpaEval) : undefined;
}

/**
 * Returns an evaluator for `entrypoint` of a policy whose data is already set. On ABI 1.2 and later
 * it does what opa-wasm's `evaluate` fast path does (input JSON at the heap start, one `opa_eval`,
 * the result JSON read back), but writes the input straight into wasm memory and finds the result's
 * end with a native scan instead of allocating an encoder, a decoder and a copy per call. On an
 * older ABI it is opa-wasm's `evaluate`. Must be created again after `setData`.
 *
 * @throws whatever opa-wasm or the wasm throws (a string, a RangeError when the memory maximum is
 *   reached, a WebAssembly.RuntimeError); the caller turns it into a refusal.
 * @example const evaluate = createWasmEvaluate(policy, policy.entrypoints['schakel/decision/result']);
 */
export function createWasmEvaluate(policy: LoadedPolicy, entrypoint: number): WasmEvaluate {
  const opaEval = opaEvalOf(policy);
  if (opaEval === undefined) return (input) => policy.evaluate(input, entrypoint) as unknown;
  const memory = policy.mem;
  const dataAddr = policy.dataAddr;
  const inputAddr = Number(policy.dataHeapPtr);

  return (input) => {
    // The library passes a falsy input as no input at all; keep its meaning for those.
    if (!input) return policy.evaluate(input, entrypoint) as unknown;
    const text = JSON.stringify(input) as string | undefined;
    if (typeof text !== 'string') return policy.evaluate(input, entrypoint) as unknown;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; count exactly only near the end of memory.
    if (inputAddr + text.length * 3 > memory.buffer.byteLength) {
      const missing = inputAddr + Buffer.byteLength(text, 'utf8') - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    }
    const length = Buffer.from(memory.buffer).write(text, inputAddr, 'utf8');
    const resultAddr = opaEval(0, entrypoint, dataAddr, inputAddr, length, inputAddr + length, 0);
    // opa_eval may have grown the memory: look at the buffer as it is now.
    const view = Buffer.from(memory.buffer);
    const end = view.indexOf(0, resultAddr);
    if (end < 0) throw new Error('opa_eval returned an unterminated result.');
    return JSON.parse(view.toString('utf8', resultAddr, end)) as unknown;
  };
}
