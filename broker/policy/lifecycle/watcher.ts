// Every broker process follows the active revision in the database and swaps its engine to it atomically.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../store/schema.ts';
import { loadPolicyEngine, type PolicyService } from '../service.ts';
import type { VerifyOptions } from '../signature.ts';

export interface PolicyWatcherOptions {
  readonly db: Kysely<Database>;
  readonly policy: PolicyService;
  /** The broker's policy key: activated bundles load only when signed with it. */
  readonly trust: VerifyOptions;
  readonly maxMemoryBytes: number;
  readonly logger: Logger;
  /** How often to look (SCHAKEL_POLICY_POLL_MS). */
  readonly intervalMs: number;
  /** Called after each look (e.g. to prune retained inputs now and then). */
  readonly onTick?: () => Promise<void>;
}

/** A running watcher. */
export interface PolicyWatcher {
  /** Looks once: loads and activates the database's active revision if this process runs another. */
  sync(): Promise<string | undefined>;
  stop(): void;
}

/**
 * Polls `policy_activations`; when the newest activation names a revision this process does not run,
 * loads its signed bundle, verifies it against the broker's key and swaps the engine. A decision runs
 * wholly on one engine (evaluation is synchronous), so every decision is made by the old or the new
 * revision. A bundle that does not verify is refused loudly and the old revision keeps running.
 *
 * @example const watcher = startPolicyWatcher({ db, policy, trust, maxMemoryBytes, logger, intervalMs: 1000 });
 */
export function startPolicyWatcher(options: PolicyWatcherOptions): PolicyWatcher {
  let refused: string | undefined;
  let running: Promise<string | undefined> | undefined;
  let stopped = false;

  async function look(): Promise<string | undefined> {
    // Only the revision on each look: the bundle (tens of kilobytes) is read when it is needed.
    const newest = await options.db
      .selectFrom('policy_activations')
      .select('revision')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (newest === undefined || newest.revision === options.policy.revision()) return undefined;
    if (newest.revision === refused) return undefined;
    // Outside the try: a database that fails this read is looked at again on the next poll; only a
    // bundle that is missing or does not verify is refused (until another revision is activated).
    const stored = await options.db
      .selectFrom('policy_revisions')
      .select('signed_bundle')
      .where('revision', '=', newest.revision)
      .executeTakeFirst();
    try {
      if (stored === undefined || stored.signed_bundle === null)
        throw new Error('the activated revision has no signed bundle');
      const engine = await loadPolicyEngine(Buffer.from(stored.signed_bundle, 'base64'), options.trust, {
        maxMemoryBytes: options.maxMemoryBytes,
      });
      if (engine.revision !== newest.revision) throw new Error('the bundle names another revision');
      const previous = options.policy.revision();
      options.policy.activate(engine);
      options.logger.info({ revision: engine.revision, previous }, 'policy revision activated');
      return engine.revision;
    } catch (error) {
      refused = newest.revision;
      options.logger.error(
        { err: error, revision: newest.revision },
        'refused to load the activated policy revision; the previous one keeps running',
      );
      return undefined;
    }
  }

  const sync = () => {
    running ??= look().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (stopped) return;
    sync()
      .then(() => options.onTick?.())
      .catch((error: unknown) =>
        options.logger.error({ err: error }, 'could not check the active policy revision'),
      );
  }, options.intervalMs);
  timer.unref();

  return {
    sync,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
