// The ops port (plain HTTP, bind it to a private interface): liveness, readiness and Prometheus metrics.
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { unmatched } from './fallback.ts';
import { problemResponse } from './problem.ts';

/** One readiness condition; the broker is ready when all of them pass. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean> | boolean;
}

export interface OpsDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readiness: readonly ReadinessCheck[];
  /** False once shutdown has begun, so load balancers stop sending traffic while we drain. */
  readonly isAccepting: () => boolean;
}

/**
 * Builds the ops app: `/healthz` (the process runs), `/readyz` (every readiness check passes; 503
 * naming the failing ones otherwise) and `/metrics`.
 */
export function createOpsApp(deps: OpsDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      deps.readiness.map(async (r) => {
        try {
          return [r.name, await r.check()] as const;
        } catch {
          return [r.name, false] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = deps.isAccepting() && results.every(([, ok]) => ok);
    return c.json(
      { status: ready ? 'ready' : 'not ready', accepting: deps.isAccepting(), checks },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', deps.registry.contentType);
    return c.body(await deps.registry.metrics());
  });
  app.notFound((c) => {
    throw unmatched(app, c.req.method, new URL(c.req.url).pathname);
  });
  app.onError((error, c) => problemResponse(c, error, deps.logger));
  return app;
}
