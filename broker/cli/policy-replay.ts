// `schakel policy replay --bundle FILE`: what a bundle would decide differently on the retained decision inputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { replayInputs, type ReplayResult } from '../policy/lifecycle/replay.ts';
import { loadPolicyEngine } from '../policy/service.ts';
import { EXIT_OK, type Command } from './command.ts';
import { openCliLifecycle } from './policy-runtime.ts';

function table(result: ReplayResult): string {
  const lines = [
    `replayed ${result.total} retained decisions: revision ${result.revision.slice(0, 12)} against the active ${result.against.slice(0, 12)}`,
    `changed: ${result.changed}`,
    ...result.changes.map((c) => `  ${c.from.padEnd(7)} -> ${c.to.padEnd(7)} ${c.count}`),
    'by category (changed/total):',
    ...result.byCategory
      .filter((c) => c.changed > 0)
      .map((c) => `  ${c.key.padEnd(30)} ${c.changed}/${c.total}`),
    'by requester (changed/total):',
    ...result.byRequester
      .filter((c) => c.changed > 0)
      .map((c) => `  ${c.key.padEnd(30)} ${c.changed}/${c.total}`),
    'by holder (changed/total):',
    ...result.byHolder
      .filter((c) => c.changed > 0)
      .map((c) => `  ${c.key.padEnd(30)} ${c.changed}/${c.total}`),
  ];
  if (result.confidentialLeftOut) lines.push('confidential processing (AIVD) is left out');
  return lines.join('\n');
}

export const policyReplayCommand: Command = {
  path: ['policy', 'replay'],
  summary: 'evaluate a bundle against the retained decision inputs and show what would change',
  help: `Usage: schakel policy replay --bundle FILE [--from DATE] [--to DATE] [--format text|json] [--limit N]

Evaluates FILE (a built bundle, e.g. from \`schakel policy build --out FILE\`) and the active
revision on every retained decision input (SCHAKEL_POLICY_INPUT_RETENTION_DAYS, pseudonyms only),
and prints the decisions that would change: counts per change (old -> new decision), per category,
per requesting and per holding partner, and with --format json the changed decisions themselves
(at most --limit, default 200). Confidential processing (AIVD) is left out.

The bundle is only evaluated, never activated: propose it with POST /v1/policies for that.
Exit 0 after printing; 2 on usage or operational errors.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        bundle: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'text' },
        limit: { type: 'string', default: '200' },
      },
      strict: true,
    });
    if (values.bundle === undefined) throw new UsageError('--bundle FILE is required.');
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError('--format is text or json.');
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError('--limit takes a whole number.');
    const date = (name: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name} takes a date (YYYY-MM-DD).`);
      return parsed;
    };
    const from = date('from', values.from);
    const to = date('to', values.to);
    let archive: Buffer;
    try {
      archive = readFileSync(path.resolve(values.bundle));
    } catch (error) {
      throw new UsageError(
        `cannot read ${values.bundle}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
    const config = loadRuntimeConfig();
    // A what-if only: the bundle is evaluated in this process and never becomes a policy, so it need not be signed.
    const proposed = await loadPolicyEngine(archive, 'committed', {
      maxMemoryBytes: config.policy.maxMemoryBytes,
    });
    const opened = await openCliLifecycle(config);
    try {
      const result = await replayInputs(opened.store.db, opened.policy.engine(), proposed, {
        includeConfidential: false,
        from,
        to,
        limit,
      });
      console.log(values.format === 'json' ? JSON.stringify(result, null, 2) : table(result));
      return EXIT_OK;
    } finally {
      await opened.close();
    }
  },
};
