// The policy watcher: a database error while reading an activated bundle is tried again; a bundle that does not load is refused.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startPolicyWatcher, type PolicyWatcher } from '../../broker/policy/lifecycle/index.ts';
import type { PolicyService } from '../../broker/policy/service.ts';
import type { Store } from '../../broker/store/database.ts';
import { openTestStore } from '../support/databases.ts';
import { memoryLogger } from '../support/memory-logger.ts';

/** Fails the next `failures` reads of policy_revisions, and counts them all. */
class FlakyRevisions implements KyselyPlugin {
  reads = 0;
  failures = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"policy_revisions"')) {
      this.reads++;
      if (this.failures > 0) {
        this.failures--;
        throw new Error('connection reset (simulated)');
      }
    }
    return node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** A running policy that is not the activated revision and must not be replaced by a bundle that fails. */
function runningPolicy(revision: string): PolicyService {
  return {
    revision: () => revision,
    activate: () => {
      throw new Error('nothing here may be activated');
    },
  } as unknown as PolicyService;
}

describe('policy watcher', () => {
  let store: Store | undefined;
  let watcher: PolicyWatcher | undefined;
  afterEach(async () => {
    watcher?.stop();
    await store?.close();
  });

  it('looks again after a database error, and refuses only a bundle that does not load', async () => {
    store = await openTestStore('pglite');
    const json = '{}';
    await store.db
      .insertInto('policy_revisions')
      .values({
        revision: 'rev-b',
        kind: 'bundle',
        description: 'a bundle whose signature cannot verify',
        base_revision: null,
        author_person: 'po-ggz',
        author_partner: null,
        bundle: null,
        signed_bundle: Buffer.from('not a bundle').toString('base64'),
        sources: json,
        build: json,
        changes: json,
        holder_kinds: '[]',
      })
      .execute();
    await store.db
      .insertInto('policy_activations')
      .values({ revision: 'rev-b', previous_revision: 'rev-a', activated_by: 'po-ggz' })
      .execute();
    const { logger, lines } = memoryLogger();
    const flaky = new FlakyRevisions();
    flaky.failures = 1;
    watcher = startPolicyWatcher({
      db: store.db.withPlugin(flaky),
      policy: runningPolicy('rev-a'),
      trust: { keys: [] },
      maxMemoryBytes: 32 << 20,
      logger,
      intervalMs: 60_000,
    });

    // The read fails: the look fails, nothing is refused.
    await expect(watcher.sync()).rejects.toThrow(/connection reset/);
    expect(lines.join('')).not.toContain('refused');
    // The next look reads the bundle again; it does not verify, so the revision is refused...
    await expect(watcher.sync()).resolves.toBeUndefined();
    expect(flaky.reads).toBe(2);
    expect(lines.join('')).toContain('refused to load the activated policy revision');
    // ...and not read again until another revision is activated.
    await expect(watcher.sync()).resolves.toBeUndefined();
    expect(flaky.reads).toBe(2);
  });
});
