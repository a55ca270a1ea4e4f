// Request-body schemas for a BSN and a subject; the elfproef itself lives in broker/bsn.ts.
import { z } from 'zod';
import { isValidBsn } from '../bsn.ts';

export { isValidBsn };

/** A BSN field in a request body: nine digits passing the elfproef. */
export const bsnSchema = z
  .string()
  .refine(isValidBsn, { message: 'must be a BSN of nine digits that passes the elfproef' });

/**
 * Whether a text holds a BSN: a run of nine digits, not part of a longer token, passing the elfproef
 * (as the log's guard finds them: case fields that are logged must not hold one).
 *
 * @example holdsBsn('gemeld door 111222333') // true
 */
export function holdsBsn(text: string): boolean {
  if (text.length < 9) return false;
  return (text.match(/(?<![\w-])\d{9}(?![\w-])/g) ?? []).some(isValidBsn);
}

/** A refinement for logged text fields: 422 naming the field instead of a log write refused later. */
export const NO_BSN = {
  message: 'must not hold a BSN (nine digits passing the elfproef): the log keeps pseudonyms only',
} as const;

/** `{"bsn": "..."}`, the subject of a case, consent or request. */
export const subjectSchema = z.object({ bsn: bsnSchema }).strict();
