// Loads the broker's policy at start-up: a configured signed bundle, or the committed default.
import type { Logger } from 'pino';
import { parseBundlePublicKey } from './bundle-keys.ts';
import { createPolicyService, loadPolicyEngine, type PolicyService } from './service.ts';

export interface PolicySource {
  /** The bundle archive bytes. */
  readonly bundle: Uint8Array;
  /** PEM public key the bundle must be signed with; undefined only for the committed default. */
  readonly publicKeyPem: string | undefined;
  readonly maxMemoryBytes: number;
}

/**
 * Verifies and loads the start-up bundle into a new policy service. A configured bundle must be
 * signed; the committed default is loaded unsigned because it ships with (and is tested with) the code.
 *
 * @throws PolicyUnsignedError, PolicySignatureError, PolicyBundleInvalidError: the broker does not start.
 */
export async function startPolicy(source: PolicySource, logger: Logger): Promise<PolicyService> {
  const trust =
    source.publicKeyPem === undefined
      ? ('committed' as const)
      : { keys: [parseBundlePublicKey(source.publicKeyPem)] };
  const engine = await loadPolicyEngine(source.bundle, trust, { maxMemoryBytes: source.maxMemoryBytes });
  const policy = createPolicyService();
  policy.activate(engine);
  logger.info(
    { revision: engine.revision, signedBy: engine.signedBy ?? null, committedDefault: trust === 'committed' },
    'policy bundle loaded',
  );
  return policy;
}
