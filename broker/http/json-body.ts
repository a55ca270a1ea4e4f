// Reads and validates a JSON request body with zod: 415, 400 or 422 with the offending field named.
import type { Context } from 'hono';
import type { z } from 'zod';
import {
  BodyTooLargeError,
  ClientClosedError,
  MalformedJsonError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldProblem,
} from '../errors.ts';

/**
 * Parses the body as JSON and validates it. Schemas should be `.strict()` so unknown fields are refused.
 *
 * @throws UnsupportedMediaTypeError (ERR_UNSUPPORTED_MEDIA_TYPE) unless the body is application/json.
 * @throws MalformedJsonError (ERR_MALFORMED_JSON) when the body is not JSON.
 * @throws ValidationError (ERR_VALIDATION) naming every bad field.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json.');
  }
  // The body limit's refusal and a client that left mid-body stand; any other failure to read is
  // refused as not JSON.
  const text = await c.req.text().catch((error: unknown) => {
    if (error instanceof BodyTooLargeError || error instanceof ClientClosedError) throw error;
    throw new MalformedJsonError('The request body is not valid JSON.');
  });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedJsonError('The request body is not valid JSON.');
  }
  const problem = screen(body);
  if (problem !== undefined) {
    throw new ValidationError(`Invalid field(s): ${problem.field}`, { errors: [problem] });
  }
  return validate(schema, body);
}

/** No request body of this API nests deeper than this; deeper ones are refused before any schema runs. */
const MAX_DEPTH = 32;

/**
 * Screens a parsed body before validation, without recursion (a hostile body may nest thousands deep):
 * refuses nesting beyond MAX_DEPTH, and U+0000 in any key or string, which JSON allows but PostgreSQL
 * text refuses (both found by the API fuzzer as 500s).
 */
function screen(body: unknown): FieldProblem | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return { field: path || '(body)', message: 'must not contain the NUL character' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH)
      return { field: path || '(body)', message: `nested deeper than ${MAX_DEPTH} levels` };
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path === '' ? key : `${path}.${key}`;
      if (key.includes('\u0000')) return { field: itemPath, message: 'must not contain the NUL character' };
      pending.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Validates a value against a schema.
 *
 * @throws ValidationError (ERR_VALIDATION) naming every bad field.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: FieldProblem[] = parsed.error.issues.flatMap((issue): FieldProblem[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: base === '' ? key : `${base}.${key}`,
        message: 'unknown field',
      }));
    }
    return [{ field: base === '' ? '(body)' : base, message: issue.message }];
  });
  throw new ValidationError(`Invalid field(s): ${errors.map((e) => e.field).join(', ')}`, { errors });
}
