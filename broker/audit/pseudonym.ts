// Keyed pseudonyms of a BSN (HMAC-SHA256 with a rotatable secret key, tagged with its key id).
import { createHmac } from 'node:crypto';

/** The pseudonym keys: secrets by key id and the id new pseudonyms use. */
export interface PseudonymKeys {
  readonly current: string;
  readonly keys: Readonly<Record<string, Uint8Array>>;
}

/** Turns a BSN into the log's pseudonym. Holds the only reference to the secret keys. */
export interface Pseudonymizer {
  /** The pseudonym under the current key, e.g. `p1.Qk3...`. */
  pseudonym(bsn: string): string;
  /** The pseudonyms under every key (current and retired), to find entries written before a rotation. */
  candidates(bsn: string): string[];
}

export { isValidBsn } from '../bsn.ts';

/**
 * Creates the pseudonymizer. A key id may hold only `[A-Za-z0-9_-]` so the pseudonym stays
 * parseable; keys must be at least 32 bytes.
 *
 * @throws Error when the current key is missing or a key is too short (a configuration error).
 * @example const p = createPseudonymizer({ current: 'p1', keys: { p1: randomBytes(32) } });
 */
export function createPseudonymizer(keys: PseudonymKeys): Pseudonymizer {
  const entries = Object.entries(keys.keys);
  for (const [id, key] of entries) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
      throw new Error(`pseudonym key id "${id}" is not [A-Za-z0-9_-]{1,32}`);
    if (key.length < 32) throw new Error(`pseudonym key "${id}" must be at least 32 bytes`);
  }
  const current = keys.keys[keys.current];
  if (current === undefined)
    throw new Error(`pseudonym key "${keys.current}" (current) is not among the keys`);
  const make = (id: string, key: Uint8Array, bsn: string) =>
    `${id}.${createHmac('sha256', key).update(bsn, 'utf8').digest('base64url')}`;
  return {
    pseudonym: (bsn) => make(keys.current, current, bsn),
    candidates: (bsn) => entries.map(([id, key]) => make(id, key, bsn)),
  };
}
