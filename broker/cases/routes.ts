// HTTP routes for cases: POST /v1/cases, GET /v1/cases/{id}, POST /v1/cases/{id}/members, POST /v1/cases/{id}/events.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { readJson } from '../http/json-body.ts';
import { subjectSchema } from './bsn.ts';
import type { Caller } from './caller.ts';
import type { CaseService } from './case-service.ts';
import { meldingSchema } from './vocabulary.ts';

/** The body of POST /v1/cases (also the source of its OpenAPI schema). */
export const openCaseBody = z.object({ subject: subjectSchema, melding: meldingSchema }).strict();
/** The body of POST /v1/cases/{id}/members. */
export const memberBody = z
  .object({ partner: z.string().min(1).max(64), role: z.string().min(1).max(64) })
  .strict();
/** The body of POST /v1/cases/{id}/events; `data` is then checked against EVENT_SCHEMAS[type]. */
export const eventBody = z
  .object({ type: z.string().min(1).max(64), data: z.record(z.string(), z.unknown()) })
  .strict();
const caseId = z.uuid();

/** Reads the caller a route acts for; throws the identity error when there is none. */
export type GetCaller = (c: Context<AppEnv>) => Caller;

/** Mounts the case routes. */
export function caseRoutes(deps: { cases: CaseService; getCaller: GetCaller }) {
  const idOf = (c: Context<AppEnv>) => {
    const parsed = caseId.safeParse(c.req.param('id'));
    return parsed.success ? parsed.data : undefined;
  };
  return (app: Hono<AppEnv>) => {
    app.post('/v1/cases', async (c) => {
      const caller = deps.getCaller(c);
      const body = await readJson(c, openCaseBody);
      const opened = await deps.cases.open(caller, { bsn: body.subject.bsn, melding: body.melding });
      return c.json({ ...opened, status: opened.status }, 201);
    });
    app.get('/v1/cases/:id', async (c) => {
      const caller = deps.getCaller(c);
      return c.json(await deps.cases.get(caller, idOf(c) ?? 'invalid'));
    });
    app.post('/v1/cases/:id/members', async (c) => {
      const caller = deps.getCaller(c);
      const body = await readJson(c, memberBody);
      return c.json(await deps.cases.addMember(caller, idOf(c) ?? 'invalid', body), 201);
    });
    app.post('/v1/cases/:id/events', async (c) => {
      const caller = deps.getCaller(c);
      const body = await readJson(c, eventBody);
      return c.json(await deps.cases.recordEvent(caller, idOf(c) ?? 'invalid', body), 201);
    });
  };
}
