// Request-body schemas for a BSN and a subject; the elfproef itself lives in broker/bsn.ts.
import { z } from 'zod';
import { isValidBsn } from '../bsn.ts';

export { isValidBsn };

/** A BSN field in a request body: nine digits passing the elfproef. */
export const bsnSchema = z
  .string()
  .refine(isValidBsn, { message: 'must be a BSN of nine digits that passes the elfproef' });

/** Nine digits in a row as the disclosure log's guard finds them. */
const NINE_DIGITS_IN_A_ROW = /(?<![\w-])\d{9}(?![\w-])/g;

/**
 * Nine digits, in a row or written in groups with single spaces, dots or hyphens (`111 222 333`,
 * `111.222.333`), with no letter or digit (or separator and digit) on either side: so a UUID's hex
 * segments or a longer number never count, while `bsn_111222333` or `(111-22-2333)` do.
 */
const NINE_DIGITS_WRITTEN = /(?<![A-Za-z0-9])(?<![0-9][ ._-])\d(?:[ .-]?\d){8}(?![A-Za-z0-9])(?![ ._-]\d)/g;

/**
 * Whether a text holds a BSN: nine digits, in a row or in groups, passing the elfproef (stricter
 * than the log's own guard, which finds nine digits in a row: texts shown on pages must not hold
 * one written either way).
 *
 * @example holdsBsn('gemeld door 111222333') // true
 * @example holdsBsn('BSN 111 222 333') // true
 */
export function holdsBsn(text: string): boolean {
  if (text.length < 9) return false;
  // What the log's guard refuses (nine digits in a row, not touching a letter, digit, underscore or
  // hyphen; `00.111222333` is one), and what it would let pass but a reader sees as one.
  return (
    (text.match(NINE_DIGITS_IN_A_ROW) ?? []).some(isValidBsn) ||
    (text.match(NINE_DIGITS_WRITTEN) ?? []).some((run) => isValidBsn(run.replace(/[ .-]/g, '')))
  );
}

/** A refinement for logged text fields: 422 naming the field instead of a log write refused later. */
export const NO_BSN = {
  message: 'must not hold a BSN (nine digits passing the elfproef): the log keeps pseudonyms only',
} as const;

/** `{"bsn": "..."}`, the subject of a case, consent or request. */
export const subjectSchema = z.object({ bsn: bsnSchema }).strict();
