// `schakel policy activate REV` and `schakel policy rollback REV`: activation under the same approvals as the API.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { NotApprovedError, type RevisionDetail } from '../policy/lifecycle/index.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, type Command } from './command.ts';
import { openCliLifecycle } from './policy-runtime.ts';

function revisionArg(args: readonly string[], usage: string): string {
  const { positionals } = parseArgs({ args: [...args], options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError(usage);
  return positionals[0];
}

function describe(detail: RevisionDetail): string {
  const approvers = detail.approval.approvals.map((a) => `${a.personId} (${a.partnerKind})`).join(', ');
  return `revision ${detail.revision} is active\n  author    ${detail.author}\n  approvers ${approvers}`;
}

async function activate(revision: string, rollback: boolean, command: string): Promise<number> {
  const config = loadRuntimeConfig();
  const opened = await openCliLifecycle(config);
  try {
    if (rollback) {
      const history = await opened.lifecycle.list();
      const earlier =
        history.activations.some((a) => a.revision === revision) ||
        history.revisions.some((r) => r.revision === revision && r.kind === 'baseline');
      if (!earlier) {
        console.error(
          `${command}: ${revision} was never active; use schakel policy activate for a new revision.`,
        );
        return EXIT_CHECK_FAILED;
      }
    }
    const detail = await opened.lifecycle.activate({ operator: userInfo().username }, revision);
    console.log(describe(detail));
    console.log('running brokers switch to it within SCHAKEL_POLICY_POLL_MS');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof NotApprovedError) {
      console.error(`${command}: ${error.code}: ${error.detail ?? error.title}`);
      return EXIT_CHECK_FAILED;
    }
    throw error;
  } finally {
    await opened.close();
  }
}

export const policyActivateCommand: Command = {
  path: ['policy', 'activate'],
  summary: 'activate an approved policy revision (four eyes and the holders approved it)',
  help: `Usage: schakel policy activate REV

Activates a revision privacy officers proposed and approved (POST /v1/policies, .../approve): it
needs the approval of a privacy officer other than its author and, when it changes the rules for a
holder's categories (GGZ, AIVD), of a privacy officer of that holder. The bundle is signed with the
broker's policy key (SCHAKEL_POLICY_SIGNING_KEY_FILE), the change goes to the disclosure log with the
author, the approvers and the replay summary, and every running broker switches to it.

Exit 0 when activated; 1 when the approvals are missing (the message names them); 2 on usage or
operational errors (unknown revision, revision already active, database unavailable).`,
  run: (args) =>
    activate(revisionArg(args, 'Usage: schakel policy activate REV'), false, 'schakel policy activate'),
};

export const policyRollbackCommand: Command = {
  path: ['policy', 'rollback'],
  summary: 'return to a revision that was active before (needs fresh approvals)',
  help: `Usage: schakel policy rollback REV

Activates REV again: a revision that was active before, or the baseline the brokers started with.
Going back is a change like any other: it needs a new round of approvals (a second privacy officer,
and the officers of the holders whose rules change back), given with POST /v1/policies/REV/approve.
See \`schakel policy activate --help\` for what activation does.

Exit 0 when activated; 1 when REV was never active or the approvals are missing; 2 otherwise.`,
  run: (args) =>
    activate(revisionArg(args, 'Usage: schakel policy rollback REV'), true, 'schakel policy rollback'),
};
