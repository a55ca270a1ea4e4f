// Driving routes with an injected caller instead of real certificates and tokens (unit and in-process tests).
import type { Hono } from 'hono';
import type { Caller } from '../../broker/cases/caller.ts';
import { SchakelError } from '../../broker/errors.ts';
import { createApp, type RouteModule } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { createLogger } from '../../broker/logger.ts';
import { TEST_PARTNERS } from './demo-partners.ts';

export class UnauthenticatedForTest extends SchakelError {
  readonly code = 'ERR_CERT_REQUIRED';
  readonly status = 401;
  readonly title = 'No caller';
}

/** Reads the caller a test put in the `x-test-caller` header. @throws UnauthenticatedForTest */
export function callerFromHeader(c: { req: { header(name: string): string | undefined } }): Caller {
  const raw = c.req.header('x-test-caller');
  if (raw === undefined) throw new UnauthenticatedForTest('no caller');
  return JSON.parse(raw) as Caller;
}

/** A user of a test partner acting in `role`. */
export function asPartner(partnerId: string, role: string, user = `${partnerId}-${role}`): Caller {
  const kind = TEST_PARTNERS.find((p) => p.id === partnerId)!.kind;
  return { partner: { id: partnerId, kind }, user: { id: user, role } };
}

/** The app with silent logs and the given routes. */
export function createTestApp(routes: readonly RouteModule[]): Hono<AppEnv> {
  return createApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 65536,
    routes,
  });
}

/** Sends a JSON request as `caller`. */
export function requestAs(app: Hono<AppEnv>, caller: Caller, method: string, url: string, body?: unknown) {
  return app.request(url, {
    method,
    headers: { 'x-test-caller': JSON.stringify(caller), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
