// The pino logger: JSON lines with a redaction list; pretty output when a person watches a terminal.
import pino, { type Logger } from 'pino';

/**
 * Paths that must never reach a log line. Code must not log these at all; this list is the net
 * under that rule (a BSN, a token, a disclosed value, a key).
 */
export const REDACT_PATHS = [
  'bsn',
  '*.bsn',
  '*.*.bsn',
  'subject.bsn',
  'data',
  '*.data',
  'items[*].data',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
];

export interface LoggerOptions {
  readonly level: string;
  /** Pretty, human output; default: when stdout is a terminal. */
  readonly pretty?: boolean | undefined;
  /** Where to write (tests pass a stream). */
  readonly destination?: pino.DestinationStream;
}

/** @example const logger = createLogger({ level: 'info' }); */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'schakel' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination !== undefined) return pino(base, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY;
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(base);
}
