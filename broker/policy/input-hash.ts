// The SHA-256 of a policy input's canonical JSON: the policyInputHash a decision's log entry names and the retained input keeps.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical.ts';
import type { PolicyInput } from './types.ts';

/** Per input object: the request path and the input recorder both need them for the same decision. */
const hashes = new WeakMap<PolicyInput, string>();
const texts = new WeakMap<PolicyInput, string>();

/**
 * The RFC 8785 form of `input`, serialised once per object (inputs are read-only once built): the
 * hash below and the retained copy of an input without free text are the same bytes.
 */
export function canonicalPolicyInput(input: PolicyInput): string {
  let text = texts.get(input);
  if (text === undefined) {
    text = canonicalJson(input);
    texts.set(input, text);
  }
  return text;
}

/**
 * Hex SHA-256 over the RFC 8785 form of `input` (inputs are read-only once built, so one hash per
 * object holds).
 *
 * @example const entry = { ..., policyInputHash: policyInputHash(input) };
 */
export function policyInputHash(input: PolicyInput): string {
  let hash = hashes.get(input);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonicalPolicyInput(input)).digest('hex');
    hashes.set(input, hash);
  }
  return hash;
}
