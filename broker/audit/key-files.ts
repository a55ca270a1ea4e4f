// Reads (and in development creates) the audit key files: the signing keyring and the pseudonym keys.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeyringFile, type KeyringFile } from './keyring.ts';
import type { PseudonymKeys } from './pseudonym.ts';

function writeSecret(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Reads the signing keyring file. @throws Error when it is missing or malformed. */
export function readKeyringFile(file: string): KeyringFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
  if (!Array.isArray(parsed.keys)) throw new Error(`${file} is not an audit keyring (no "keys" list)`);
  return parsed;
}

/** Writes a keyring file with mode 0600. */
export function writeKeyringFile(file: string, keyring: KeyringFile): void {
  writeSecret(file, JSON.stringify(keyring, null, 2) + '\n');
}

/** Reads the keyring, creating one with a fresh key when the file does not exist. Returns whether it was created. */
export async function ensureKeyringFile(file: string): Promise<{ keyring: KeyringFile; created: boolean }> {
  if (existsSync(file)) return { keyring: readKeyringFile(file), created: false };
  const keyring = await generateKeyringFile();
  writeKeyringFile(file, keyring);
  return { keyring, created: true };
}

/** The pseudonym key file: `{"current":"p1","keys":{"p1":"<base64, at least 32 bytes>"}}`. */
interface PseudonymKeyFile {
  current: string;
  keys: Record<string, string>;
}

/** Reads the pseudonym keys. @throws Error when the file is missing or malformed. */
export function readPseudonymKeys(file: string): PseudonymKeys {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as PseudonymKeyFile;
  if (typeof parsed.current !== 'string' || typeof parsed.keys !== 'object') {
    throw new Error(`${file} is not a pseudonym key file ({"current": ID, "keys": {ID: base64}})`);
  }
  return {
    current: parsed.current,
    keys: Object.fromEntries(
      Object.entries(parsed.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]),
    ),
  };
}

/** Reads the pseudonym keys, creating a file with one random key (`p1`) when absent. */
export function ensurePseudonymKeys(file: string): { keys: PseudonymKeys; created: boolean } {
  if (existsSync(file)) return { keys: readPseudonymKeys(file), created: false };
  const content: PseudonymKeyFile = { current: 'p1', keys: { p1: randomBytes(32).toString('base64') } };
  writeSecret(file, JSON.stringify(content, null, 2) + '\n');
  return { keys: readPseudonymKeys(file), created: true };
}
