// The single error path: every error leaving the partner or ops port becomes RFC 9457 problem+json here.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, InternalError, SchakelError } from '../errors.ts';
import { isDatabaseUnavailable } from '../store/unavailable.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The RFC 9457 body schakel sends; `code` is the stable machine-readable condition. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: readonly { field: string; message: string }[];
}

/** Builds the problem body for a known error. Never includes causes, stacks or internals. */
export function toProblem(error: SchakelError, instance?: string, requestId?: string): ProblemBody {
  const body: ProblemBody = {
    type: `https://schakel.example/problems/${error.code.toLowerCase().replace(/^err_/, '').replaceAll('_', '-')}`,
    title: error.title,
    status: error.status,
    code: error.code,
  };
  if (error.detail !== undefined) body.detail = error.detail;
  if (instance !== undefined) body.instance = instance;
  if (requestId !== undefined) body.requestId = requestId;
  if (error.errors !== undefined) body.errors = error.errors;
  return body;
}

/**
 * Turns any thrown value into a problem+json response. A lost database connection becomes
 * ERR_DATABASE_UNAVAILABLE (503); other unknown errors become ERR_INTERNAL and are
 * logged with their stack; the partner sees only the stable code.
 */
export function problemResponse(c: Context, thrown: unknown, log?: Logger): Response {
  const known =
    thrown instanceof SchakelError
      ? thrown
      : isDatabaseUnavailable(thrown)
        ? new DatabaseUnavailableError('The database is unavailable; nothing was disclosed.', {
            cause: thrown,
          })
        : undefined;
  const error = known ?? new InternalError('The broker could not handle this request.');
  const requestId = c.get('requestId' as never) as string | undefined;
  if (log !== undefined) {
    if (known === undefined || error.status >= 500) {
      log.error({ err: thrown, code: error.code }, 'request failed');
    } else {
      log.info({ code: error.code, status: error.status }, 'request refused');
    }
  }
  // Through the context, so the headers middleware set before the handler (the request id, the
  // security headers) are on the refusal too, also when the handler never ran (404, 405).
  return c.newResponse(
    JSON.stringify(toProblem(error, new URL(c.req.url).pathname, requestId)),
    error.status as ContentfulStatusCode,
    { 'content-type': PROBLEM_CONTENT_TYPE, ...error.headers },
  );
}
