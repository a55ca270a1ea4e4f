// Opens the policy lifecycle for a CLI command: the configured database, the running revision, the broker's key.
import { readFileSync } from 'node:fs';
import type { Config } from '../config/config.ts';
import { createRuntimeLogger, openAuditAppender, openConfiguredStore } from '../main.ts';
import { parseBundlePublicKey } from '../policy/bundle-keys.ts';
import { createPolicyService, loadPolicyEngine, type PolicyService } from '../policy/service.ts';
import {
  createOpaRunner,
  createPolicyLifecycle,
  ensurePolicyKey,
  locateOpa,
  startPolicyWatcher,
  type PolicyLifecycle,
} from '../policy/lifecycle/index.ts';
import { DEFAULT_BUNDLE_FILE, POLICIES_DIR } from '../policy/paths.ts';
import type { Store } from '../store/database.ts';

/** The lifecycle as a short-lived command sees it. Call `close` when done. */
export interface CliLifecycle {
  readonly lifecycle: PolicyLifecycle;
  readonly policy: PolicyService;
  readonly store: Store;
  close(): Promise<void>;
}

/**
 * Opens the configured database and loads the revision the brokers run: the newest activation
 * (verified against the broker's policy key), else the configured or committed start-up bundle.
 *
 * @throws DatabaseUnavailableError, PolicySignatureError, ConfigError.
 */
export async function openCliLifecycle(config: Config): Promise<CliLifecycle> {
  const logger = createRuntimeLogger(config);
  const store = await openConfiguredStore(config);
  try {
    const key = ensurePolicyKey(config.policy.signingKeyFile);
    const startBundle = readFileSync(config.policy.bundleFile ?? DEFAULT_BUNDLE_FILE);
    const uploadKeys =
      config.policy.publicKeyFile === undefined
        ? []
        : [parseBundlePublicKey(readFileSync(config.policy.publicKeyFile, 'utf8'))];
    const policy = createPolicyService();
    policy.activate(
      await loadPolicyEngine(startBundle, uploadKeys.length === 0 ? 'committed' : { keys: uploadKeys }, {
        maxMemoryBytes: config.policy.maxMemoryBytes,
      }),
    );
    const opa = locateOpa(config.policy.opaPath, process.env);
    const lifecycle = createPolicyLifecycle({
      db: store.db,
      audit: openAuditAppender(store, logger, config),
      policy,
      policiesDir: POLICIES_DIR,
      opa: opa === undefined ? undefined : createOpaRunner(opa),
      key,
      uploadKeys,
      maxMemoryBytes: config.policy.maxMemoryBytes,
      logger,
    });
    await lifecycle.registerBaseline(startBundle, policy.revision()!);
    const watcher = startPolicyWatcher({
      db: store.db,
      policy,
      trust: lifecycle.trust,
      maxMemoryBytes: config.policy.maxMemoryBytes,
      logger,
      intervalMs: 60_000,
    });
    watcher.stop();
    await watcher.sync();
    return { lifecycle, policy, store, close: () => store.close() };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
