// A broker logger (redaction included) that keeps what it writes, for tests that check the log.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../broker/logger.ts';

/**
 * The logger and the JSON lines it wrote so far, in order.
 *
 * @example const { logger, lines } = memoryLogger(); ...; expect(lines.join('')).toContain('refused');
 */
export function memoryLogger(level = 'info'): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
