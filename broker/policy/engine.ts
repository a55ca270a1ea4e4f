// The policy engine: one verified bundle instantiated with opa-wasm, answering decide(input).
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { ENTRYPOINT, type PolicyBundle } from './bundle.ts';
import { PolicyBundleInvalidError, PolicyUnavailableError } from './errors.ts';
import { isPolicyResult } from './result-shape.ts';
import type { PolicyDecision, PolicyInput, PolicyResult } from './types.ts';
import { createWasmEvaluate } from './wasm-eval.ts';

/** WebAssembly pages are 64 KiB. */
const PAGE = 64 * 1024;

export interface PolicyEngineOptions {
  /** Upper bound of the wasm linear memory in bytes (default 32 MiB); evaluation fails beyond it. */
  readonly maxMemoryBytes?: number;
}

/** A loaded bundle. `decide` is synchronous: opa-wasm evaluates on one linear memory. */
export interface PolicyEngine {
  readonly revision: string;
  /** The key id that signed the bundle; undefined for the committed default bundle. */
  readonly signedBy: string | undefined;
  /** The catalogue the bundle was built with (`data.catalogue`). */
  readonly catalogue: Readonly<Record<string, unknown>>;
  /**
   * Decides one question. An undefined result is a deny (`POLICY_UNDEFINED`).
   *
   * @throws PolicyUnavailableError (ERR_POLICY_UNAVAILABLE) when evaluation fails or returns a
   *   result outside the schema: nothing may be disclosed on it.
   */
  decide(input: PolicyInput): PolicyDecision;
}

function message(thrown: unknown): string {
  // opa-wasm throws plain strings as well as Errors.
  return thrown instanceof Error ? thrown.message : String(thrown);
}

function undefinedDeny(dryRun: boolean): PolicyResult {
  return {
    decision: 'deny',
    fields: [],
    legal_basis: null,
    gdpr_basis: null,
    reasons: [
      {
        code: 'POLICY_UNDEFINED',
        nl: 'Het beleid gaf geen antwoord; wat geen regel toestaat, wordt niet verstrekt.',
        en: 'The policy gave no answer; nothing is disclosed unless a rule permits it.',
      },
    ],
    review: null,
    consent_ids: [],
    grounds: [],
    confidential: false,
    obligations: [],
    conditions: [],
    dry_run: dryRun,
  };
}

function categoryFields(catalogue: Record<string, unknown>): Map<string, Set<string>> {
  const categories = (catalogue.categories ?? {}) as Record<string, { fields?: unknown }>;
  return new Map(
    Object.entries(categories).map(([code, c]) => [
      code,
      new Set(Array.isArray(c.fields) ? c.fields.filter((f): f is string => typeof f === 'string') : []),
    ]),
  );
}

/**
 * Instantiates a bundle read by `readBundle` (so its signature has already been checked).
 *
 * @throws PolicyBundleInvalidError (ERR_POLICY_BUNDLE_INVALID) when the wasm does not load or has no
 *   schakel entrypoint.
 * @example const engine = await createPolicyEngine(await readBundle(bytes, 'committed'));
 */
export async function createPolicyEngine(
  bundle: PolicyBundle,
  options: PolicyEngineOptions = {},
): Promise<PolicyEngine> {
  const maximum = Math.ceil((options.maxMemoryBytes ?? 32 * 1024 * 1024) / PAGE);
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(bundle.wasm, { initial: Math.min(8, maximum), maximum });
    policy.setData(bundle.data);
  } catch (thrown) {
    throw new PolicyBundleInvalidError(`policy.wasm does not load: ${message(thrown)}`, { cause: thrown });
  }
  const entrypoints = policy.entrypoints as Record<string, number>;
  const entrypoint = entrypoints[ENTRYPOINT];
  if (entrypoint === undefined) {
    throw new PolicyBundleInvalidError(`policy.wasm has no entrypoint ${ENTRYPOINT}.`);
  }
  const evaluate = createWasmEvaluate(policy, entrypoint);
  const catalogue = (bundle.data.catalogue ?? {}) as Record<string, unknown>;
  const fieldsOf = categoryFields(catalogue);
  const revision = bundle.revision;

  return {
    revision,
    signedBy: bundle.signature?.kid,
    catalogue,
    decide(input: PolicyInput): PolicyDecision {
      let evaluated: unknown;
      try {
        evaluated = evaluate(input);
      } catch (thrown) {
        throw new PolicyUnavailableError('The policy could not be evaluated.', {
          cause: new Error(message(thrown)),
        });
      }
      const first = Array.isArray(evaluated) ? (evaluated[0] as { result?: unknown } | undefined) : undefined;
      if (first === undefined) return { ...undefinedDeny(input.dry_run === true), revision };
      const result = first.result;
      if (!isPolicyResult(result)) {
        throw new PolicyUnavailableError('The policy returned a result outside its schema.');
      }
      if (result.decision === 'permit') {
        // Defence in depth for rule 7: never pass on a field the category does not have.
        const allowed = fieldsOf.get(input.category);
        if (allowed === undefined || result.fields.some((f) => !allowed.has(f))) {
          throw new PolicyUnavailableError('The policy permitted a field outside the category.');
        }
      }
      return { ...result, revision };
    },
  };
}
