// The shape of a CLI command and the exit codes every command uses.
export const EXIT_OK = 0;
/** A check the command performs failed (e.g. the log does not verify). */
export const EXIT_CHECK_FAILED = 1;
/** Usage or operational error; the message says what to do. */
export const EXIT_USAGE = 2;

export interface Command {
  /** Words after `schakel`, e.g. ['db', 'migrate']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Full help text printed by `--help`. */
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}
