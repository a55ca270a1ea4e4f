// The subject-sealing key on disk: read it, or create a random one (0600) in development.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Returns the 32-byte key in `file` (base64), creating it when absent.
 *
 * @throws Error when the file holds something other than a base64 32-byte key.
 */
export function ensureSealKey(file: string): { key: Buffer; created: boolean } {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} must hold a base64 32-byte key`);
    return { key, created: false };
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return { key, created: true };
}
