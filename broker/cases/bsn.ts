// Request-body schemas for a BSN and a subject; the elfproef itself lives in broker/bsn.ts.
import { z } from 'zod';
import { isValidBsn } from '../bsn.ts';

export { isValidBsn };

/** A BSN field in a request body: nine digits passing the elfproef. */
export const bsnSchema = z
  .string()
  .refine(isValidBsn, { message: 'must be a BSN of nine digits that passes the elfproef' });

/** `{"bsn": "..."}`, the subject of a case, consent or request. */
export const subjectSchema = z.object({ bsn: bsnSchema }).strict();
