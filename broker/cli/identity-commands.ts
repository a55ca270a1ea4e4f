// The identity room's commands (pki, partners, people), registered in COMMANDS with one line.
import type { Command } from './command.ts';
import { partnersAddCommand, partnersListCommand, partnersUpdateCommand } from './partners.ts';
import { peopleAddCommand, peopleListCommand } from './people.ts';
import { pkiInitCommand } from './pki-init.ts';
import { pkiIssueCommand } from './pki-issue.ts';
import { pkiListCommand } from './pki-list.ts';
import { pkiRevokeCommand } from './pki-revoke.ts';
import { pkiTokenCommand } from './pki-token.ts';

/** pki init|issue|revoke|list|token, partners add|update|list, people add|list. */
export const IDENTITY_COMMANDS: readonly Command[] = [
  pkiInitCommand,
  pkiIssueCommand,
  pkiRevokeCommand,
  pkiListCommand,
  pkiTokenCommand,
  partnersAddCommand,
  partnersUpdateCommand,
  partnersListCommand,
  peopleAddCommand,
  peopleListCommand,
];
