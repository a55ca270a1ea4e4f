// Turns a review decision form into the API's decision body, validated by the same schema as POST /v1/reviews/{id}/decision.
import type { FieldProblem } from '../../errors.ts';
import { reviewDecisionSchema, type ReviewDecisionBody } from '../../requests/review-service.ts';
import type { Messages } from '../i18n/messages-nl.ts';

/** The decision forms on the page: one per ground, and refusal. */
export const DECISION_ACTIONS = [
  'toestemming',
  'conflict_van_plichten',
  'wettelijk_voorschrift',
  'ambtsbericht',
  'refuse',
] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

const CONDITIONS = [
  'gewetensnood',
  'subsidiariteit',
  'schade',
  'doelmatigheid',
  'proportionaliteit',
] as const;

type Form = Record<string, string | File | (string | File)[]>;

function text(form: Form, name: string): string | undefined {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  const trimmed = first.trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(form: Form, name: string): string[] {
  const value = form[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** The action a posted form asks for, or undefined for anything else. */
export function decisionAction(form: Form): DecisionAction | undefined {
  const action = text(form, 'action');
  return DECISION_ACTIONS.find((a) => a === action);
}

/**
 * Builds and validates the decision body. Checkboxes that are not ticked are simply absent from a
 * form, so each consideration is `true` only when its box was ticked.
 */
export function decisionFromForm(
  action: DecisionAction,
  form: Form,
): { ok: true; body: ReviewDecisionBody } | { ok: false; problems: { path: string; code: string }[] } {
  const toelichting = text(form, 'toelichting');
  const candidate: Record<string, unknown> =
    action === 'refuse'
      ? { decision: 'refuse', redenCode: text(form, 'redenCode') }
      : { decision: 'release', ground: action };
  if (toelichting !== undefined) candidate.toelichting = toelichting;
  if (action === 'conflict_van_plichten' || action === 'wettelijk_voorschrift') {
    // No box ticked: leave the choice to the policy's default (the minimal fields).
    const fields = list(form, 'fields');
    if (fields.length > 0) candidate.fields = fields;
  }
  if (action === 'conflict_van_plichten') {
    const ticked = new Set(list(form, 'conditions'));
    candidate.considerations = {
      toestemming: text(form, 'toestemming'),
      ...Object.fromEntries(CONDITIONS.map((k) => [k, ticked.has(k)])),
      collegaGeraadpleegd: ticked.has('collegaGeraadpleegd'),
    };
  }
  if (action === 'wettelijk_voorschrift') candidate.provision = text(form, 'provision');
  const parsed = reviewDecisionSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => ({
      path: i.path.join('.'),
      code: i.code === 'custom' && i.message.startsWith('must hold') ? 'mustHold' : i.code,
    })),
  };
}

/** Field problems in the person's language, named by the label they saw. */
export function describeProblems(
  t: Messages,
  problems: readonly { path: string; code: string }[],
): FieldProblem[] {
  return problems.map((p) => ({
    field: fieldLabel(t, p.path),
    message:
      p.code === 'mustHold'
        ? t.reviews.problems.mustHold
        : p.code === 'invalid_type' || p.code === 'custom'
          ? t.reviews.problems.required
          : t.reviews.problems.invalid,
  }));
}

/** The form's label for a field of the decision body (`considerations.schade`, `provision`, ...). */
function fieldLabel(t: Messages, path: string): string {
  const cvp = t.reviews.cvp as unknown as Record<string, string>;
  const key = path.split('.').at(-1) ?? path;
  if (path === 'considerations.toestemming') return t.reviews.cvp.toestemmingLegend;
  if (key === 'redenCode') return t.reviews.refuse.reason;
  if (key === 'provision') return t.reviews.statute.provision;
  if (key === 'fields') return t.reviews.fieldsLegend;
  if (key === 'ground') return t.reviews.problems.ground;
  return Object.hasOwn(cvp, key) ? cvp[key]! : key;
}

/**
 * The review service's refusal of a decision the form accepted: the policy's problems with a release
 * (RELEASE_CONSENT_NOT_VALID, ...), each in words under the field it is about.
 */
export function describeRefusal(t: Messages, errors: readonly FieldProblem[]): FieldProblem[] {
  const policy = t.reviews.problems.policy as Readonly<Record<string, string>>;
  return errors.map((e) => ({
    field: fieldLabel(t, e.field),
    message: Object.hasOwn(policy, e.message) ? policy[e.message]! : t.reviews.problems.invalid,
  }));
}
