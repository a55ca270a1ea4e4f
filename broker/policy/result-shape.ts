// Checks that what the wasm returned is a well-formed result before the broker acts on it.
import type { PolicyResult } from './types.ts';

const DECISIONS = new Set(['permit', 'deny', 'review']);

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isNullableString = (v: unknown): boolean => v === null || typeof v === 'string';

function isReview(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.reviewer_kind === 'string' &&
    typeof r.reviewer_partner_id === 'string' &&
    typeof r.reviewer_role === 'string' &&
    isNullableString(r.ground_hint) &&
    typeof r.urgent === 'boolean' &&
    isStrings(r.basis_consent_ids) &&
    isStrings(r.problems)
  );
}

/** True when `value` matches policies/schema/output/result.json (the parts the broker relies on). */
export function isPolicyResult(value: unknown): value is PolicyResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.decision === 'string' &&
    DECISIONS.has(r.decision) &&
    isStrings(r.fields) &&
    (r.decision === 'permit' || r.fields.length === 0) &&
    isNullableString(r.legal_basis) &&
    isNullableString(r.gdpr_basis) &&
    Array.isArray(r.reasons) &&
    r.reasons.length > 0 &&
    r.reasons.every(
      (x: unknown) =>
        typeof x === 'object' &&
        x !== null &&
        typeof (x as Record<string, unknown>).code === 'string' &&
        typeof (x as Record<string, unknown>).nl === 'string' &&
        typeof (x as Record<string, unknown>).en === 'string',
    ) &&
    isReview(r.review) &&
    isStrings(r.consent_ids) &&
    isStrings(r.grounds) &&
    typeof r.confidential === 'boolean' &&
    isStrings(r.obligations) &&
    isStrings(r.conditions) &&
    typeof r.dry_run === 'boolean'
  );
}
