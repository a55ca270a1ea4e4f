// What makes a policy input malformed, read from policies/schema/input.json: a missing or wrongly typed fact that the rules read.

/** The part of a JSON schema this check reads: types, the branches of `anyOf`, required keys. */
export interface InputSchema {
  readonly type?: string;
  readonly anyOf?: readonly InputSchema[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, InputSchema>>;
}

/**
 * The facts the rules read, as paths into the input. Left out: `requester.national` and
 * `requester.user`, and the case's `id`, `lead_partner` and `emergency` (recorded, not read by the
 * current rules), and what lies inside `case.members`, `consents` and `review` (records the rules
 * search and filter: one that does not fit is not counted, which is not a permit by itself).
 */
export const READ_FACTS: readonly string[] = [
  'now_ms',
  'request_id',
  'requester',
  'requester.partner_id',
  'requester.kind',
  'requester.role',
  'holder',
  'holder.partner_id',
  'holder.kind',
  'subject',
  'subject.pseudonym',
  'case',
  'case.status',
  'case.phase',
  'case.subject_pseudonym',
  'case.members',
  'purpose',
  'category',
  'justification',
  'consents',
  'review',
  'dry_run',
];

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fits(schema: InputSchema, value: unknown): boolean {
  if (schema.type === undefined) return true;
  // NOTE: the rules take any number as a time (is_number): a fraction of a millisecond in now_ms
  // or a consent's period is not refused, although the schema says integer. Times only compare.
  if (schema.type === 'integer') return typeof value === 'number';
  return schema.type === jsonType(value);
}

/**
 * The facts of `READ_FACTS` that `input` lacks or gives a type the schema does not allow (a path,
 * or `(input)` when the input is not an object); empty for a well-formed question. A fact under one
 * that is itself missing or mistyped is not listed again.
 *
 * @example shapeBreaks(schema, { ...question, now_ms: 'soon' }) // ['now_ms']
 */
export function shapeBreaks(schema: InputSchema, input: unknown): string[] {
  if (!fits(schema, input)) return ['(input)'];
  const breaks: string[] = [];
  const walk = (node: InputSchema, value: unknown, prefix: string): void => {
    const object = value as Record<string, unknown>;
    for (const key of node.required ?? []) {
      const at = prefix === '' ? key : `${prefix}.${key}`;
      if (!READ_FACTS.includes(at)) continue;
      const property = node.properties?.[key];
      if (property === undefined) throw new Error(`the input schema requires ${at} but does not describe it`);
      const branch = Object.hasOwn(object, key)
        ? (property.anyOf ?? [property]).find((b) => fits(b, object[key]))
        : undefined;
      if (branch === undefined) breaks.push(at);
      else if (jsonType(object[key]) === 'object') walk(branch, object[key], at);
    }
  };
  walk(schema, input, '');
  return breaks;
}
