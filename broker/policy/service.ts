// The active policy: holds one engine and swaps it atomically, so every decision names one revision.
import { readBundle, type BundleTrust } from './bundle.ts';
import { createPolicyEngine, type PolicyEngine, type PolicyEngineOptions } from './engine.ts';
import { PolicyUnavailableError } from './errors.ts';
import type { PolicyDecision, PolicyInput } from './types.ts';

/** What the request flow calls; the only policy object other rooms hold. */
export interface PolicyService {
  /** True once a verified bundle is loaded (the `/readyz` check "policy"). */
  ready(): boolean;
  /** The active revision, or undefined before the first bundle. */
  revision(): string | undefined;
  /** The active engine. @throws PolicyUnavailableError (ERR_POLICY_UNAVAILABLE) before the first bundle. */
  engine(): PolicyEngine;
  /**
   * Decides with the active engine; the decision carries the revision that made it.
   *
   * @throws PolicyUnavailableError (ERR_POLICY_UNAVAILABLE) when no bundle is loaded or evaluation fails.
   */
  decide(input: PolicyInput): PolicyDecision;
  /** Makes `engine` the active one. Decisions already running finish on the old one. */
  activate(engine: PolicyEngine): void;
}

/**
 * Creates an empty policy service; activate an engine before deciding.
 *
 * @example
 * const policy = createPolicyService();
 * policy.activate(await loadPolicyEngine(bytes, 'committed'));
 * const decision = policy.decide(input);
 */
export function createPolicyService(): PolicyService {
  let active: PolicyEngine | undefined;
  const engine = (): PolicyEngine => {
    if (active === undefined) throw new PolicyUnavailableError('No verified policy bundle is loaded.');
    return active;
  };
  return {
    ready: () => active !== undefined,
    revision: () => active?.revision,
    engine,
    decide: (input) => engine().decide(input),
    activate(next) {
      active = next;
    },
  };
}

/**
 * Reads, verifies and instantiates a bundle archive in one step.
 *
 * @throws PolicyBundleInvalidError, PolicyUnsignedError, PolicySignatureError (see readBundle).
 */
export async function loadPolicyEngine(
  archive: Uint8Array,
  trust: BundleTrust,
  options: PolicyEngineOptions = {},
): Promise<PolicyEngine> {
  return createPolicyEngine(await readBundle(archive, trust), options);
}
