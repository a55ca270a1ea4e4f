// HTTP routes for consents: POST /v1/consents and DELETE /v1/consents/{id}.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GetCaller } from '../cases/routes.ts';
import type { AppEnv } from '../http/env.ts';
import { readJson } from '../http/json-body.ts';
import { consentBodySchema, type ConsentService } from './consent-service.ts';

/** Mounts the consent routes. */
export function consentRoutes(deps: { consents: ConsentService; getCaller: GetCaller }) {
  return (app: Hono<AppEnv>) => {
    app.post('/v1/consents', async (c) => {
      const caller = deps.getCaller(c);
      const body = await readJson(c, consentBodySchema);
      return c.json(await deps.consents.record(caller, body), 201);
    });
    app.delete('/v1/consents/:id', async (c) => {
      const caller = deps.getCaller(c);
      const id = z.uuid().safeParse(c.req.param('id'));
      await deps.consents.withdraw(caller, id.success ? id.data : 'invalid');
      return c.body(null, 204);
    });
  };
}
