// The verifier's column check: the columns queries read (type, parties, requester, ...) must say what the entry's hashed body says.
import { membersOf, valueAt } from './body-fields.ts';
import { partiesOf, type EntryDocument } from './entry.ts';

/** The columns of an entry that are derived from its body when it is written. */
export interface EntryColumns {
  readonly type: string;
  readonly confidential: boolean;
  /** The jsonb column as text (`parties::text`). */
  readonly parties: string;
  readonly requester: string | null;
  readonly holder: string | null;
  readonly subject_pseudonym: string | null;
  readonly body: string;
}

/** The members of a body the column check reads, in the order of the indices below. */
const COLUMN_MEMBERS = ['actor', 'confidential', 'holder', 'parties', 'subjectPseudonym', 'type'];
const [ACTOR, CONFIDENTIAL, HOLDER, PARTIES, SUBJECT, TYPE] = [0, 1, 2, 3, 4, 5];
const PARTNER_ID = ['partnerId'];
const differs = (column: string) => `its ${column} column differs from the hashed body`;

/** What is wrong with the row's columns, or undefined when they equal what its body says. */
export function columnProblem(row: EntryColumns): string | undefined {
  const quick = columnProblemFromMembers(row);
  return quick === UNSURE ? columnProblemFromParse(row) : quick;
}

/** The quick check cannot tell: the parse decides. */
export const UNSURE = Symbol('unsure');

/**
 * The column check on the members read without parsing the body (body-fields.ts: about a third
 * cheaper than JSON.parse and its garbage, which was a fifth of verification's time). UNSURE when
 * the body is not laid out as canonical JSON or holds something whose meaning the parse decides (a
 * `parties` member, a party that is no string): columnProblemFromParse decides those.
 *
 * On canonical JSON, so on every body the broker writes, both give the same answer. On other text
 * the scanner does not validate what it skips (a raw control character in a string, a malformed
 * nested value) and may find the columns equal where the parse refuses the body as JSON. Such a
 * body cannot hash into a signed checkpoint's root, so the log still fails verification: at the
 * entry when its hash was left as it was, or at the checkpoint range when the chain was rewritten
 * after it (as for any rewrite whose columns agree with the new body).
 */
export function columnProblemFromMembers(row: EntryColumns): string | undefined | typeof UNSURE {
  try {
    return quickColumnProblem(row);
  } catch {
    // A literal JSON.parse refused (a body not as the broker writes it): the parse reports it.
    return UNSURE;
  }
}

function quickColumnProblem(row: EntryColumns): string | undefined | typeof UNSURE {
  const body = row.body;
  const members = membersOf(body, COLUMN_MEMBERS);
  if (members === undefined || members[2 * PARTIES] !== -1) return UNSURE;
  let requester: unknown;
  const actorStart = members[2 * ACTOR]!;
  if (actorStart !== -1 && body.charCodeAt(actorStart) === 0x7b) {
    const actor = membersOf(body, PARTNER_ID, actorStart, members[2 * ACTOR + 1]);
    if (actor === undefined) return UNSURE;
    requester = valueAt(body, actor, 0);
  }
  const holder = valueAt(body, members, HOLDER);
  if (!(requester === undefined || typeof requester === 'string')) return UNSURE;
  if (!(holder === undefined || typeof holder === 'string')) return UNSURE;
  if (valueAt(body, members, TYPE) !== row.type) return differs('type');
  if ((valueAt(body, members, CONFIDENTIAL) === true) !== row.confidential) return differs('confidential');
  if ((requester ?? null) !== row.requester) return differs('requester');
  if ((holder ?? null) !== row.holder) return differs('holder');
  if ((valueAt(body, members, SUBJECT) ?? null) !== row.subject_pseudonym)
    return differs('subject_pseudonym');
  // partiesOf() for a body without `parties`: the requester and the holder, once each, sorted.
  const parties: string[] = [];
  if (requester !== undefined) parties.push(requester);
  if (holder !== undefined && holder !== requester) parties.push(holder);
  if (parties.length === 2 && parties[1]! < parties[0]!) parties.reverse();
  if (!sameParties(parties, row.parties)) return differs('parties');
  return undefined;
}

/** The column check on the parsed body: the reference the quick one must agree with. */
export function columnProblemFromParse(row: EntryColumns): string | undefined {
  let doc: EntryDocument;
  try {
    doc = JSON.parse(row.body) as EntryDocument;
  } catch {
    return 'its body is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'its body is not a JSON object';
  if (doc.parties !== undefined && !Array.isArray(doc.parties)) return 'its parties member is not a list';
  if (doc.type !== row.type) return differs('type');
  if ((doc.confidential === true) !== row.confidential) return differs('confidential');
  if ((doc.actor?.partnerId ?? null) !== row.requester) return differs('requester');
  if ((doc.holder ?? null) !== row.holder) return differs('holder');
  if ((doc.subjectPseudonym ?? null) !== row.subject_pseudonym) return differs('subject_pseudonym');
  if (!sameParties(partiesOf(doc), row.parties)) return differs('parties');
  return undefined;
}

/**
 * True when the jsonb column's text holds the same JSON as the parties derived from the body.
 * Fast path: PostgreSQL writes a jsonb array of strings as `["a", "b"]`; building that text from
 * the body's parties and finding it equal proves the parsed column equal too. Anything else (other
 * spacing, escapes, values) is parsed and compared as JSON.
 */
function sameParties(parties: readonly string[], columnText: string): boolean {
  let text = '[';
  for (let i = 0; i < parties.length; i++) text += (i === 0 ? '' : ', ') + JSON.stringify(parties[i]);
  if (text + ']' === columnText) return true;
  let column: unknown;
  try {
    column = JSON.parse(columnText);
  } catch {
    return false;
  }
  return JSON.stringify(parties) === JSON.stringify(column);
}
