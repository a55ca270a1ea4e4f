// Retained decision inputs: every policy decision's input (pseudonyms only) kept for a while so proposals can be replayed.
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { preparedStatement } from '../../store/prepared.ts';
import type { Database } from '../../store/schema.ts';
import { canonicalPolicyInput, policyInputHash } from '../input-hash.ts';
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
  const justification = blankOr(input.justification);
  const provision = input.review === null ? null : blankOr(input.review.provision);
  // Without free text the input is kept as it is, and its canonical form is the one already hashed.
  if (justification === input.justification && provision === (input.review?.provision ?? null)) return input;
  return {
    ...input,
    justification,
    review: input.review === null ? null : { ...input.review, provision },
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
  /** Inputs held in memory: queued or being written (never more than `maxQueued`). */
  pending(): number;
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
  /**
   * At most this many inputs are held in memory, queued or being written (default 10 000); beyond it
   * new ones are dropped.
   */
  readonly maxQueued?: number;
}

/** Every column written, in the order of INSERT_SQL's arrays; the input travels apart, as JSON. */
const COLUMNS = [
  ['decided_at', 'timestamptz'],
  ['revision', 'text'],
  ['request_id', 'text'],
  ['requester_partner_id', 'text'],
  ['requester_kind', 'text'],
  ['holder_partner_id', 'text'],
  ['holder_kind', 'text'],
  ['category', 'text'],
  ['purpose', 'text'],
  ['decision', 'text'],
  ['confidential', 'boolean'],
  ['input_hash', 'text'],
] as const satisfies readonly (readonly [
  Exclude<keyof Insertable<PolicyDecisionInputsTable>, 'id' | 'input'>,
  string,
])[];

/**
 * One statement for any number of inputs, one array per column: its text never changes, so it is
 * prepared once per connection (a multi-row insert has a text per row count, each parsed and planned
 * anew). The inputs are canonical JSON already and go as one JSON array of them, parsed once.
 */
const INSERT_SQL = preparedStatement(`
  insert into policy_decision_inputs (${COLUMNS.map(([name]) => name).join(', ')}, input)
  select ${COLUMNS.map(([name]) => `u.${name}`).join(', ')}, j.input
  from unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) with ordinality
    as u(${COLUMNS.map(([name]) => name).join(', ')}, i)
  join jsonb_array_elements($${COLUMNS.length + 1}::jsonb) with ordinality as j(input, i) using (i)`);

/** Inserts retained inputs in one statement: all of them or none. */
async function insertInputs(db: Kysely<Database>, rows: readonly Row[]): Promise<void> {
  const parameters: unknown[] = COLUMNS.map(([name]) =>
    rows.map((row) => (name === 'decided_at' ? row.decided_at.toISOString() : row[name])),
  );
  parameters.push(`[${rows.map((row) => row.input).join(',')}]`);
  await db.executeQuery(CompiledQuery.raw(INSERT_SQL, parameters));
}

/** One retained input as queued: its columns, and the input as canonical JSON text. */
interface Row extends Omit<Insertable<PolicyDecisionInputsTable>, 'id' | 'decided_at' | 'input'> {
  readonly decided_at: Date;
  readonly input: string;
}

/**
 * Creates the recorder the composition root wraps around `decide`.
 *
 * One writer drains the queue: while a batch is being written, new inputs gather and go in the next
 * batch, so a slow database means fewer, larger statements rather than a growing line of them, and
 * everything held in memory (queued plus in the batch being written) is bounded by `maxQueued`.
 *
 * @example
 * const recorder = createInputRecorder({ db, logger, retentionDays: 90 });
 * const decide = (input) => { const d = policy.decide(input); recorder.record(input, d); return d; };
 */
export function createInputRecorder(options: InputRecorderOptions): InputRecorder {
  const now = options.now ?? (() => new Date());
  const maxBatch = options.maxBatch ?? 500;
  const maxQueued = options.maxQueued ?? 10_000;
  let queue: Row[] = [];
  let writing = 0;
  let writer: Promise<void> | undefined;
  let scheduled = false;
  let dropped = 0;

  async function writeAll(): Promise<void> {
    while (queue.length > 0) {
      const rows = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = rows === queue ? [] : queue.slice(maxBatch);
      writing = rows.length;
      try {
        await insertInputs(options.db, rows);
      } catch (error) {
        // Replay loses these inputs; the decisions themselves are in the disclosure log.
        options.logger.error({ err: error, lost: rows.length }, 'could not retain policy decision inputs');
      } finally {
        writing = 0;
      }
    }
  }

  /** Starts the writer unless it runs; it restarts itself when inputs arrived as it finished. */
  function startWriter(): void {
    if (writer !== undefined || queue.length === 0) return;
    writer = writeAll().finally(() => {
      writer = undefined;
      startWriter();
    });
  }

  return {
    record(input, decision) {
      if (input.dry_run) return;
      if (queue.length + writing >= maxQueued) {
        // A slow database must not grow memory without bound; replay then misses these inputs.
        if (dropped++ % 1000 === 0)
          options.logger.warn({ dropped }, 'dropping policy inputs kept for replay');
        return;
      }
      const json = canonicalPolicyInput(retainedInput(input));
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
        input_hash: policyInputHash(input),
        input: json,
      });
      // The decisions of one event-loop turn go in one statement.
      if (!scheduled && writer === undefined) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          startWriter();
        });
      }
    },
    async flush() {
      startWriter();
      while (writer !== undefined) await writer;
    },
    pending() {
      return queue.length + writing;
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
