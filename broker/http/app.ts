// createApp: the partner API's Hono app, built from injected dependencies with no I/O at import time.
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { BodyTooLargeError } from '../errors.ts';
import { bodyLimit } from './body-limit.ts';
import type { AppEnv } from './env.ts';
import { unmatched } from './fallback.ts';
import type { HttpMetrics } from './metrics.ts';
import { problemResponse } from './problem.ts';
import { requestContext } from './request-context.ts';

/** A room's routes, mounted by createApp. Rooms get their own dependencies through closures. */
export type RouteModule = (app: Hono<AppEnv>) => void;

export interface AppDeps {
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  readonly maxBodyBytes: number;
  /** Middleware that must run before every route (e.g. the mTLS guard), in order. */
  readonly guards?: readonly MiddlewareHandler<AppEnv>[];
  readonly routes: readonly RouteModule[];
}

/** On every answer of the partner API. */
const SECURITY_HEADERS = [
  ['cache-control', 'no-store'],
  ['x-content-type-options', 'nosniff'],
  ['strict-transport-security', 'max-age=31536000'],
] as const;

/**
 * Builds the partner API: request ids and access logs, the body limit, the guards, the routes, and
 * the single problem+json error path (404 and 405 included).
 *
 * @example const app = createApp({ logger, metrics, maxBodyBytes: 1 << 20, routes: [whoamiRoutes(deps)] });
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestContext(deps.logger, deps.metrics));
  // Before the body limit: a 413 (the limit answers without calling next) carries them too.
  app.use(async function securityHeaders(c, next) {
    // Set before the handler, so the response is made with them; a header set on a finished
    // response copies the whole response (through the Web Response and a body stream), so after
    // it only what is missing or different (a problem+json answer, a handler's own cache-control).
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
    for (const [name, value] of SECURITY_HEADERS) {
      if (c.res.headers.get(name) !== value) c.header(name, value);
    }
  });
  app.use(
    bodyLimit(deps.maxBodyBytes, () => {
      throw new BodyTooLargeError(`The body may be at most ${deps.maxBodyBytes} bytes.`);
    }),
  );
  for (const guard of deps.guards ?? []) app.use(guard);
  for (const mount of deps.routes) mount(app);

  app.notFound((c) => {
    throw unmatched(app, c.req.method, new URL(c.req.url).pathname);
  });
  app.onError((error, c) => problemResponse(c, error, c.get('log') ?? deps.logger));
  return app;
}
