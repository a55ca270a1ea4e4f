// HTTP routes: POST /v1/requests, GET /v1/requests/{id}, GET /v1/reviews, POST /v1/reviews/{id}/decision.
import type { Hono } from 'hono';
import { z } from 'zod';
import { holdsBsn, NO_BSN, subjectSchema } from '../cases/bsn.ts';
import type { GetCaller } from '../cases/routes.ts';
import type { AppEnv } from '../http/env.ts';
import { readJson } from '../http/json-body.ts';
import type { Requester } from './policy-input.ts';
import type { RequestService } from './request-service.ts';
import { reviewDecisionSchema, type ReviewService } from './review-service.ts';

/** The body of POST /v1/requests (also the source of its OpenAPI schema). */
export const requestBody = z
  .object({
    caseId: z.uuid().optional(),
    subject: subjectSchema,
    purpose: z.enum([
      'melding_beoordeling',
      'risicotaxatie',
      'persoonsgerichte_aanpak',
      'monitoring',
      'beveiliging',
      'acuut_gevaar',
    ]),
    categories: z.array(z.string().min(1).max(64)).min(1).max(20),
    holders: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
    // Shown to privacy officers and the holder's professional: never a BSN (the subject is `subject`).
    justification: z
      .string()
      .min(1)
      .max(2000)
      .refine((text) => !holdsBsn(text), NO_BSN)
      .optional(),
  })
  .strict();

/** Mounts the request and review routes. */
export function requestRoutes(deps: {
  requests: RequestService;
  reviews: ReviewService;
  getCaller: GetCaller;
  getRequester: (c: Parameters<GetCaller>[0]) => Requester;
}) {
  return (app: Hono<AppEnv>) => {
    app.post('/v1/requests', async (c) => {
      const requester = deps.getRequester(c);
      const body = await readJson(c, requestBody);
      const view = await deps.requests.create(
        requester,
        {
          caseId: body.caseId,
          bsn: body.subject.bsn,
          purpose: body.purpose,
          categories: [...new Set(body.categories)],
          holders: body.holders,
          justification: body.justification,
        },
        c.get('requestId'),
      );
      return c.json(view, 200);
    });
    app.get('/v1/requests/:id', async (c) => {
      const requester = deps.getRequester(c);
      const id = z.uuid().safeParse(c.req.param('id'));
      return c.json(await deps.requests.get(requester, id.success ? id.data : 'invalid', c.get('requestId')));
    });
    app.get('/v1/reviews', async (c) => c.json(await deps.reviews.pending(deps.getCaller(c))));
    app.post('/v1/reviews/:id/decision', async (c) => {
      const caller = deps.getCaller(c);
      const body = await readJson(c, reviewDecisionSchema);
      const id = z.uuid().safeParse(c.req.param('id'));
      return c.json(await deps.reviews.decide(caller, id.success ? id.data : 'invalid', body));
    });
  };
}
