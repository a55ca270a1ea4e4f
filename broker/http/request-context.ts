// Middleware: a request id (taken from X-Request-Id when well-formed), a child logger and access logging.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { maskBsnRuns } from '../bsn.ts';
import type { AppEnv } from './env.ts';
import { loggablePath } from './loggable-path.ts';
import type { HttpMetrics } from './metrics.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Binds a request id and a child logger to each request, echoes the id in `X-Request-Id`, and logs
 * one line per request with status and duration. Never logs bodies or query strings (they may hold a BSN); a BSN in the path is masked.
 *
 * @example app.use(requestContext(logger, metrics))
 */
export function requestContext(logger: Logger, metrics: HttpMetrics): MiddlewareHandler<AppEnv> {
  // The access line has fixed keys, none of them a redacted path, so the redaction (which copies the
  // object on every line: 7 % of the broker's allocations under load) is left out for it alone;
  // what handlers log goes through `log`, redacted as ever.
  const access = logger.child({}, { redact: [] });
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const offered = c.req.header('x-request-id');
    // An offered id that holds a BSN is not taken: it would reach every log line and log record.
    const requestId =
      offered !== undefined && REQUEST_ID.test(offered) && maskBsnRuns(offered) === offered
        ? offered
        : randomUUID();
    const traceId = TRACEPARENT.exec(c.req.header('traceparent') ?? '')?.[1];
    const log = logger.child(traceId === undefined ? { requestId } : { requestId, traceId });
    c.set('requestId', requestId);
    c.set('log', log);
    // Before the handler, so the response is made with it (see securityHeaders in app.ts); after it
    // only for a response made without it (problem+json).
    c.header('x-request-id', requestId);
    await next();
    if (c.res.headers.get('x-request-id') !== requestId) c.header('x-request-id', requestId);
    const route = c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(c.req.method, route, c.res.status, seconds);
    access.info(
      {
        requestId,
        ...(traceId === undefined ? {} : { traceId }),
        method: c.req.method,
        path: loggablePath(new URL(c.req.url).pathname),
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
      },
      'request',
    );
  };
}
