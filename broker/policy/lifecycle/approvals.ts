// Four eyes and the holder's say: which approvals a revision has for its next activation, and what is missing.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

/** One approval as lists and pages show it. */
export interface Approval {
  readonly personId: string;
  readonly partnerId: string;
  readonly partnerKind: string;
  readonly testsAcknowledged: boolean;
  readonly comment: string | null;
  readonly approvedAt: string;
}

/** Where a revision stands for its next activation. */
export interface ApprovalState {
  /** How often the revision was activated before; approvals count for this round only. */
  readonly round: number;
  readonly approvals: readonly Approval[];
  /**
   * Four eyes: two different people stand behind this activation. On a first activation of a
   * proposal by a person, that is the author and one other approver; when the author is the system
   * (the start-up revision) or the revision was active before (a rollback, which its author may
   * not even know of), it takes two approvers of this round.
   */
  readonly secondOfficer: boolean;
  /** How many approvals of this round four eyes still needs (0, 1 or 2). */
  readonly approvalsMissing: number;
  /** Whether the author counts as one pair of eyes (a first activation of a person's proposal). */
  readonly authorCounts: boolean;
  /** Holder kinds the change touches whose privacy officer has not approved yet. */
  readonly missingHolderKinds: readonly string[];
  readonly satisfied: boolean;
}

/** The author recorded for revisions the broker registered itself (the start-up bundle). */
export const SYSTEM_AUTHOR = 'system';

/** The round a revision's next activation belongs to: the number of its earlier activations. */
export async function activationRound(db: Kysely<Database>, revision: string): Promise<number> {
  const row = await db
    .selectFrom('policy_activations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('revision', '=', revision)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The approvals of the current round and what activation still needs: a privacy officer other than
 * the author, and for every holder kind the change touches, a privacy officer of that kind.
 */
export async function approvalState(
  db: Kysely<Database>,
  revision: { readonly revision: string; readonly author: string; readonly holderKinds: readonly string[] },
): Promise<ApprovalState> {
  const round = await activationRound(db, revision.revision);
  const rows = await db
    .selectFrom('policy_approvals')
    .selectAll()
    .where('revision', '=', revision.revision)
    .where('round', '=', round)
    .orderBy('approved_at')
    .execute();
  const approvals = rows
    // The author cannot approve (refused at approval); skip defensively should a row exist anyway.
    .filter((r) => r.person_id !== revision.author)
    .map((r) => ({
      personId: r.person_id,
      partnerId: r.partner_id,
      partnerKind: r.partner_kind,
      testsAcknowledged: r.tests_acknowledged,
      comment: r.comment,
      approvedAt: new Date(r.approved_at).toISOString(),
    }));
  const authorCounts = round === 0 && revision.author !== SYSTEM_AUTHOR;
  const people = new Set([...(authorCounts ? [revision.author] : []), ...approvals.map((a) => a.personId)]);
  const approvalsMissing = Math.max(0, 2 - people.size);
  const secondOfficer = approvalsMissing === 0;
  const missingHolderKinds = revision.holderKinds.filter((k) => !approvals.some((a) => a.partnerKind === k));
  return {
    round,
    approvals,
    secondOfficer,
    approvalsMissing,
    authorCounts,
    missingHolderKinds,
    satisfied: secondOfficer && missingHolderKinds.length === 0,
  };
}
