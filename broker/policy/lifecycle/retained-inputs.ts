// Retained decision inputs: every policy decision's input (pseudonyms only) kept for a while so proposals can be replayed.
import { createHash } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Logger } from 'pino';
import { canonicalJson } from '../../audit/canonical.ts';
import type { Database } from '../../store/schema.ts';
import type { PolicyDecision, PolicyInput } from '../types.ts';
import type { PolicyDecisionInputsTable } from './tables.ts';

/** What replaces free text (a justification, a statutory provision) in a retained input. */
export const FREE_TEXT_PLACEHOLDER = '[vrije tekst niet bewaard]';

/**
 * The input as it is retained: free text could hold anything (even a BSN), so it is replaced by a
 * placeholder; only whether it was blank matters to the rules (`trim_space(x) != ""`).
 */
export function retainedInput(input: PolicyInput): PolicyInput {
  const blankOr = (text: string | null): string | null =>
    text === null ? null : text.trim() === '' ? '' : FREE_TEXT_PLACEHOLDER;
  return {
    ...input,
    justification: blankOr(input.justification),
    review: input.review === null ? null : { ...input.review, provision: blankOr(input.review.provision) },
  };
}

/** Rule 4: decisions touching the AIVD are confidential processing. */
export function isConfidential(input: PolicyInput, decision: PolicyDecision): boolean {
  return (
    decision.confidential ||
    input.holder.kind === 'aivd' ||
    input.requester.kind === 'aivd' ||
    input.category.startsWith('aivd.')
  );
}

/** Records decisions in the background, in batches; the request path never waits for it. */
export interface InputRecorder {
  /** Queues one decision's input (dry runs are not decisions and are skipped). */
  record(input: PolicyInput, decision: PolicyDecision): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Deletes inputs older than the retention period; returns how many. */
  prune(): Promise<number>;
}

export interface InputRecorderOptions {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  /** How long inputs are kept (SCHAKEL_POLICY_INPUT_RETENTION_DAYS). */
  readonly retentionDays: number;
  readonly now?: () => Date;
  readonly maxBatch?: number;
  /** At most this many inputs wait for the database (default 10 000); beyond it new ones are dropped. */
  readonly maxQueued?: number;
}

/**
 * Creates the recorder the composition root wraps around `decide`.
 *
 * @example
 * const recorder = createInputRecorder({ db, logger, retentionDays: 90 });
 * const decide = (input) => { const d = policy.decide(input); recorder.record(input, d); return d; };
 */
export function createInputRecorder(options: InputRecorderOptions): InputRecorder {
  const now = options.now ?? (() => new Date());
  const maxBatch = options.maxBatch ?? 500;
  type Row = Insertable<PolicyDecisionInputsTable>;
  let queue: Row[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;
  let dropped = 0;
  const maxQueued = options.maxQueued ?? 10_000;

  async function write(rows: Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += maxBatch) {
      await options.db
        .insertInto('policy_decision_inputs')
        .values(rows.slice(i, i + maxBatch))
        .execute();
    }
  }

  function drain(): Promise<void> {
    scheduled = false;
    const rows = queue;
    queue = [];
    if (rows.length === 0) return writing;
    writing = writing
      .then(() => write(rows))
      .catch((error: unknown) => {
        // Replay loses these inputs; the decisions themselves are in the disclosure log.
        options.logger.error({ err: error, lost: rows.length }, 'could not retain policy decision inputs');
      });
    return writing;
  }

  return {
    record(input, decision) {
      if (input.dry_run) return;
      if (queue.length >= maxQueued) {
        // A slow database must not grow memory without bound; replay then misses these inputs.
        if (dropped++ % 1000 === 0)
          options.logger.warn({ dropped }, 'dropping policy inputs kept for replay');
        return;
      }
      const json = canonicalJson(retainedInput(input));
      queue.push({
        decided_at: new Date(input.now_ms),
        revision: decision.revision,
        request_id: input.request_id,
        requester_partner_id: input.requester.partner_id,
        requester_kind: input.requester.kind,
        holder_partner_id: input.holder.partner_id,
        holder_kind: input.holder.kind,
        category: input.category,
        purpose: input.purpose,
        decision: decision.decision,
        confidential: isConfidential(input, decision),
        // The hash of the whole input, as the decision's log entry names it (policyInputHash).
        input_hash: createHash('sha256').update(canonicalJson(input)).digest('hex'),
        input: json,
      });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void drain());
      }
    },
    async flush() {
      await drain();
    },
    async prune() {
      const cutoff = new Date(now().getTime() - options.retentionDays * 86_400_000);
      const deleted = await options.db
        .deleteFrom('policy_decision_inputs')
        .where('decided_at', '<', cutoff)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows);
    },
  };
}
