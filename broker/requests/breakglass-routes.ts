// HTTP routes for privacy officers: GET /v1/breakglass and POST /v1/breakglass/{id}/review.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { readJson } from '../http/json-body.ts';
import { breakglassReviewSchema, type BreakglassService, type Reviewer } from './breakglass-service.ts';

/** Mounts the break-glass review routes; `getPrivacyOfficer` refuses anyone else. */
export function breakglassRoutes(deps: {
  breakglass: BreakglassService;
  getPrivacyOfficer: (c: Context<AppEnv>) => Reviewer;
}) {
  return (app: Hono<AppEnv>) => {
    app.get('/v1/breakglass', async (c) => {
      deps.getPrivacyOfficer(c);
      return c.json(await deps.breakglass.list());
    });
    app.post('/v1/breakglass/:id/review', async (c) => {
      const reviewer = deps.getPrivacyOfficer(c);
      const body = await readJson(c, breakglassReviewSchema);
      const id = z.uuid().safeParse(c.req.param('id'));
      return c.json(await deps.breakglass.review(reviewer, id.success ? id.data : 'invalid', body));
    });
  };
}
