// The `schakel` command line: finds the command, prints help, maps errors to exit codes 1 and 2.
import { EXIT_OK, EXIT_USAGE, type Command } from './command.ts';
import { auditKeysRotateCommand } from './audit-keys.ts';
import { auditSubjectCommand } from './audit-subject.ts';
import { auditVerifyCommand } from './audit-verify.ts';
import { dbMigrateCommand } from './db-migrate.ts';
import { policyBuildCommand } from './policy-build.ts';
import { policySignCommand } from './policy-sign.ts';
import { policyActivateCommand, policyRollbackCommand } from './policy-activate.ts';
import { policyReplayCommand } from './policy-replay.ts';
import { policyTestCommand } from './policy-test.ts';
import { serveCommand } from './serve.ts';
import { IDENTITY_COMMANDS } from './identity-commands.ts';
import { indicatorsCommand } from './indicators.ts';
import { demoGenerateCommand } from './demo-generate.ts';
import { referenceImportCommand } from './reference-import.ts';
import { retentionPurgeCommand } from './retention-purge.ts';
import { SchakelError } from '../errors.ts';

/** Every command; groups (`db`, `pki`, ...) are derived from the paths. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  dbMigrateCommand,
  policyTestCommand,
  policyBuildCommand,
  policySignCommand,
  policyReplayCommand,
  policyActivateCommand,
  policyRollbackCommand,
  ...IDENTITY_COMMANDS,
  indicatorsCommand,
  demoGenerateCommand,
  auditVerifyCommand,
  auditSubjectCommand,
  auditKeysRotateCommand,
  referenceImportCommand,
  retentionPurgeCommand,
];

function overview(commands: readonly Command[], prefix: readonly string[]): string {
  const lines = commands
    .filter((c) => prefix.every((word, i) => c.path[i] === word))
    .map((c) => `  schakel ${c.path.join(' ').padEnd(22)} ${c.summary}`);
  return `Usage: schakel ${prefix.length > 0 ? prefix.join(' ') + ' ' : ''}<command> [options]

schakel: a secure information-sharing broker for Dutch threat management.

Commands:
${lines.join('\n')}

Every command accepts --help. Exit codes: 0 success, 1 a check failed, 2 usage or operational error.`;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = argv.filter((a) => a !== '--help' && a !== '-h');
  const command = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => words[i] === word));
  if (command === undefined) {
    const group = words.filter((w) => !w.startsWith('-'));
    const prefix = commands.some((c) => group.length > 0 && c.path[0] === group[0]) ? group.slice(0, 1) : [];
    if (words.length === 0 || wantsHelp) {
      console.log(overview(commands, prefix));
      return words.length === 0 && !wantsHelp ? EXIT_USAGE : EXIT_OK;
    }
    console.error(`schakel: unknown command "${words.join(' ')}"\n\n${overview(commands, prefix)}`);
    return EXIT_USAGE;
  }
  if (wantsHelp) {
    console.log(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(words.slice(command.path.length));
  } catch (error) {
    return reportFailure(error, command);
  }
}

function reportFailure(error: unknown, command: Command): number {
  if (error instanceof SchakelError) {
    console.error(`schakel ${command.path.join(' ')}: ${error.code}: ${error.detail ?? error.title}`);
    return EXIT_USAGE;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    console.error(
      `schakel ${command.path.join(' ')}: ${(error as Error).message}\nRun "schakel ${command.path.join(' ')} --help".`,
    );
    return EXIT_USAGE;
  }
  if (code === 'EADDRINUSE') {
    console.error(
      `schakel ${command.path.join(' ')}: a port is already in use (${(error as Error).message}); stop the other process or set SCHAKEL_PORT / SCHAKEL_OPS_PORT.`,
    );
    return EXIT_USAGE;
  }
  console.error(`schakel ${command.path.join(' ')}: ${(error as Error).message ?? String(error)}`);
  return EXIT_USAGE;
}
