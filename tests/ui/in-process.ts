// The pages in process, without TLS or a browser: the app as one signed-in person sees it, with the given pages.
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import type { Identity } from '../../broker/identity/identity.ts';
import { createLogger } from '../../broker/logger.ts';
import type { UiPage } from '../../broker/ui/ui-env.ts';
import { uiRoutes } from '../../broker/ui/ui-routes.ts';

/** The app with `pages` under /ui, every request signed in as `identity` (the guard's part done). */
export function pagesAs(identity: Identity, ...pages: UiPage[]) {
  return createApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 65536,
    guards: [
      async (c, next) => {
        c.set('identity', identity);
        await next();
      },
    ],
    routes: [uiRoutes({ pages })],
  });
}
