// HTTP routes for privacy officers: GET/POST /v1/policies, approve, activate and replay a revision.
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import type { z } from 'zod';
import { readJson, validate } from '../../http/json-body.ts';
import { UnsupportedMediaTypeError } from '../../errors.ts';
import { RevisionNotFoundError } from './errors.ts';
import { activationSchema, approvalSchema, proposalSchema, replaySchema } from './proposal.ts';
import type { Officer, PolicyLifecycle } from './service.ts';

const REVISION = /^[0-9a-f]{1,64}$|^[A-Za-z0-9._-]{1,128}$/;

function revisionParam(c: Context<AppEnv>): string {
  const rev = c.req.param('rev') ?? '';
  if (!REVISION.test(rev)) throw new RevisionNotFoundError('No such policy revision.');
  return rev;
}

/**
 * Reads an optional JSON body: an empty body is `{}`. The content type is application/json even
 * when the body is empty: a form on another site can post an empty body but cannot send that type
 * without the browser asking us first (CORS preflight), so approve, activate and replay cannot be
 * triggered by a cross-site form whatever the browser sends.
 *
 * @throws UnsupportedMediaTypeError (ERR_UNSUPPORTED_MEDIA_TYPE) unless the request is application/json.
 */
async function optionalBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new UnsupportedMediaTypeError('Send the request as application/json, with an empty body or {}.');
  }
  // Hono caches the body text, so readJson can read it again.
  if ((await c.req.text()).trim() === '') return validate(schema, {});
  return readJson(c, schema);
}

/**
 * Mounts the policy administration routes; `getOfficer` refuses anyone but a signed-in privacy officer.
 *
 * @example app = createApp({ ..., routes: [policyLifecycleRoutes({ lifecycle, getOfficer })] });
 */
export function policyLifecycleRoutes(deps: {
  lifecycle: PolicyLifecycle;
  getOfficer: (c: Context<AppEnv>) => Officer;
}) {
  return (app: Hono<AppEnv>) => {
    app.get('/v1/policies', async (c) => {
      deps.getOfficer(c);
      return c.json(await deps.lifecycle.list());
    });
    app.post('/v1/policies', async (c) => {
      const officer = deps.getOfficer(c);
      const body = await readJson(c, proposalSchema);
      return c.json(await deps.lifecycle.propose(officer, body), 201);
    });
    app.get('/v1/policies/:rev', async (c) => {
      deps.getOfficer(c);
      return c.json(await deps.lifecycle.get(revisionParam(c)));
    });
    app.post('/v1/policies/:rev/approve', async (c) => {
      const officer = deps.getOfficer(c);
      const rev = revisionParam(c);
      const body = await optionalBody(c, approvalSchema);
      return c.json(await deps.lifecycle.approve(officer, rev, body));
    });
    app.post('/v1/policies/:rev/activate', async (c) => {
      const officer = deps.getOfficer(c);
      const rev = revisionParam(c);
      await optionalBody(c, activationSchema);
      return c.json(await deps.lifecycle.activate(officer, rev));
    });
    app.post('/v1/policies/:rev/replay', async (c) => {
      const officer = deps.getOfficer(c);
      const rev = revisionParam(c);
      const body = await optionalBody(c, replaySchema);
      return c.json(await deps.lifecycle.replay(officer, rev, body));
    });
  };
}
