// Replay: a proposal evaluated against the retained inputs of past decisions, compared with the active policy.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { PolicyEngine } from '../engine.ts';
import type { PolicyInput } from '../types.ts';

/** A decision as replay compares it; `error` when a policy could not evaluate the input. */
export type ReplayOutcome = 'permit' | 'deny' | 'review' | 'error';

export interface ReplayOptions {
  /** Only inputs decided at or after / before these times (default: everything retained). */
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Rule 4: only an AIVD privacy officer sees confidential processing; everyone else replays without it. */
  readonly includeConfidential: boolean;
  /** At most this many changed decisions in the drill-down (default 200); the counts cover all. */
  readonly limit?: number | undefined;
}

/** One changed decision, pseudonymous. */
export interface ChangedDecision {
  /** The retained input's id. */
  readonly id: number;
  readonly decidedAt: string;
  readonly requestId: string;
  /** The SHA-256 the decision's log entry names as policyInputHash. */
  readonly inputHash: string;
  readonly requester: string;
  readonly holder: string;
  readonly category: string;
  readonly purpose: string;
  readonly subjectPseudonym: string;
  readonly from: ReplayOutcome;
  readonly to: ReplayOutcome;
  readonly fieldsFrom: readonly string[];
  readonly fieldsTo: readonly string[];
  readonly reasonsFrom: readonly string[];
  readonly reasonsTo: readonly string[];
}

/** Counts for one category or partner. */
export interface ReplayCount {
  readonly key: string;
  readonly total: number;
  readonly changed: number;
}

/** What a proposal would change. A permit whose fields change counts as a change `permit -> permit`. */
export interface ReplayResult {
  readonly revision: string;
  /** The revision it is compared with (the active one). */
  readonly against: string;
  readonly total: number;
  readonly changed: number;
  readonly changes: readonly {
    readonly from: ReplayOutcome;
    readonly to: ReplayOutcome;
    readonly count: number;
  }[];
  readonly byCategory: readonly ReplayCount[];
  readonly byRequester: readonly ReplayCount[];
  readonly byHolder: readonly ReplayCount[];
  readonly decisions: readonly ChangedDecision[];
  /** More changed decisions exist than the drill-down lists. */
  readonly truncated: boolean;
  /** Confidential processing was left out (the caller is not of the AIVD). */
  readonly confidentialLeftOut: boolean;
}

function evaluate(engine: PolicyEngine, input: PolicyInput) {
  try {
    const d = engine.decide(input);
    return { outcome: d.decision as ReplayOutcome, fields: d.fields, reasons: d.reasons.map((r) => r.code) };
  } catch {
    return { outcome: 'error' as const, fields: [] as string[], reasons: ['POLICY_ERROR'] };
  }
}

function bump(map: Map<string, { total: number; changed: number }>, key: string, changed: boolean) {
  const entry = map.get(key) ?? { total: 0, changed: 0 };
  entry.total += 1;
  if (changed) entry.changed += 1;
  map.set(key, entry);
}

const counts = (map: Map<string, { total: number; changed: number }>): ReplayCount[] =>
  [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, c]) => ({ key, ...c }));

/**
 * Evaluates every retained input (in pages, oldest first) with the active and the proposed engine.
 *
 * @example const result = await replayInputs(db, active, proposed, { includeConfidential: false });
 */
export async function replayInputs(
  db: Kysely<Database>,
  active: PolicyEngine,
  proposed: PolicyEngine,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const limit = options.limit ?? 200;
  const changes = new Map<string, number>();
  const byCategory = new Map<string, { total: number; changed: number }>();
  const byRequester = new Map<string, { total: number; changed: number }>();
  const byHolder = new Map<string, { total: number; changed: number }>();
  const decisions: ChangedDecision[] = [];
  let total = 0;
  let changed = 0;
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom('policy_decision_inputs')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000);
    if (!options.includeConfidential) query = query.where('confidential', '=', false);
    if (options.from !== undefined) query = query.where('decided_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('decided_at', '<', options.to);
    const rows = await query.execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.id);
    for (const row of rows) {
      const input = (typeof row.input === 'string' ? JSON.parse(row.input) : row.input) as PolicyInput;
      const before = evaluate(active, input);
      const next = evaluate(proposed, input);
      const differs =
        before.outcome !== next.outcome ||
        before.fields.length !== next.fields.length ||
        before.fields.some((f, i) => next.fields[i] !== f);
      total += 1;
      bump(byCategory, row.category, differs);
      bump(byRequester, row.requester_partner_id, differs);
      bump(byHolder, row.holder_partner_id, differs);
      if (!differs) continue;
      changed += 1;
      const key = `${before.outcome}>${next.outcome}`;
      changes.set(key, (changes.get(key) ?? 0) + 1);
      if (decisions.length < limit) {
        decisions.push({
          id: Number(row.id),
          decidedAt: new Date(row.decided_at).toISOString(),
          requestId: row.request_id,
          inputHash: row.input_hash,
          requester: row.requester_partner_id,
          holder: row.holder_partner_id,
          category: row.category,
          purpose: row.purpose,
          subjectPseudonym: input.subject.pseudonym,
          from: before.outcome,
          to: next.outcome,
          fieldsFrom: before.fields,
          fieldsTo: next.fields,
          reasonsFrom: before.reasons,
          reasonsTo: next.reasons,
        });
      }
    }
  }
  return {
    revision: proposed.revision,
    against: active.revision,
    total,
    changed,
    changes: [...changes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => {
        const [from, to] = key.split('>') as [ReplayOutcome, ReplayOutcome];
        return { from, to, count };
      }),
    byCategory: counts(byCategory),
    byRequester: counts(byRequester),
    byHolder: counts(byHolder),
    decisions,
    truncated: changed > decisions.length,
    confidentialLeftOut: !options.includeConfidential,
  };
}

/** The replay's counts without the drill-down, as the disclosure log and revision lists keep them. */
export function replaySummary(result: ReplayResult) {
  return {
    revision: result.revision,
    against: result.against,
    total: result.total,
    changed: result.changed,
    changes: result.changes,
    confidentialLeftOut: result.confidentialLeftOut,
  };
}
