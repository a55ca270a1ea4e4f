// POST /access/v1/evaluation through app.request(): the AuthZEN dry run on the committed bundle.
import type { MiddlewareHandler } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import type { Identity } from '../../broker/identity/identity.ts';
import { createLogger } from '../../broker/logger.ts';
import { evaluationRoutes } from '../../broker/policy/evaluation-routes.ts';
import { createPolicyService, loadPolicyEngine, type PolicyCase } from '../../broker/policy/index.ts';
import { committedBundle } from './support.ts';

const CASE: PolicyCase = {
  id: 'case-1',
  status: 'open',
  phase: 'informatie',
  subject_pseudonym: 'p.111222333',
  lead_partner: 'demo-politie',
  emergency: false,
  members: [
    { partner_id: 'demo-politie', role: 'analist' },
    { partner_id: 'demo-ggz', role: 'behandelaar' },
  ],
};

function politieAnalist(): Identity {
  return {
    kind: 'system',
    partner: {
      id: 'demo-politie',
      kind: 'politie',
      identifierType: 'oin',
      identifier: '00000001234567890000',
      unit: '',
      organisation: 'Politie',
      national: true,
    },
    user: { id: 'u-1', role: 'analist' },
    certificate: { serial: '01', issuer: 'test', x5tS256: 'x', notAfter: new Date(0) },
  };
}

const asCaller: MiddlewareHandler<AppEnv> = async function asCaller(c, next) {
  if (c.req.header('x-test-anonymous') === undefined) c.set('identity', politieAnalist());
  await next();
};

const policy = createPolicyService();
const app = createApp({
  logger: createLogger({ level: 'silent' }),
  metrics: createHttpMetrics({ collectProcessMetrics: false }),
  maxBodyBytes: 65536,
  guards: [asCaller],
  routes: [
    evaluationRoutes({
      policy,
      findCase: (id) => Promise.resolve(id === CASE.id ? CASE : null),
      pseudonymize: (bsn) => `p.${bsn}`,
      now: () => 1_767_225_600_000,
    }),
  ],
});

const evaluate = (category: string, action: string, properties: Record<string, string>, headers = {}) =>
  app.request('/access/v1/evaluation', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      subject: { type: 'user', id: 'u-1' },
      resource: { type: 'category', id: category, properties },
      action: { name: action },
    }),
  });

describe('POST /access/v1/evaluation', () => {
  it('answers 503 ERR_POLICY_UNAVAILABLE before a bundle is loaded', async () => {
    const res = await evaluate('politie.registraties', 'risicotaxatie', { caseId: 'case-1' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_POLICY_UNAVAILABLE');
  });

  describe('with the committed bundle', () => {
    beforeAll(async () => {
      policy.activate(await loadPolicyEngine(committedBundle(), 'committed'));
    });

    it('permits a non-medical category to a case member: decision true', async () => {
      const res = await evaluate('politie.registraties', 'risicotaxatie', {
        caseId: 'case-1',
        bsn: '111222333',
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        decision: boolean;
        context: { decision: string; grounds: string[] };
      };
      expect(body.decision).toBe(true);
      expect(body.context.decision).toBe('permit');
      expect(Object.keys(body.context).sort()).toEqual(['decision', 'grounds', 'reasons']);
    });

    it('never permits a medical category in a dry run: review with the grounds that could apply', async () => {
      const res = await evaluate('ggz.bekend', 'risicotaxatie', { caseId: 'case-1', bsn: '111222333' });
      const body = (await res.json()) as {
        decision: boolean;
        context: { decision: string; grounds: string[] };
      };
      expect(body.decision).toBe(false);
      expect(body.context.decision).toBe('review');
      expect(body.context.grounds).toContain('toestemming');
    });

    it('denies without a case, with the matching code', async () => {
      const res = await evaluate('politie.registraties', 'risicotaxatie', { caseId: 'unknown' });
      const body = (await res.json()) as { decision: boolean; context: { reasons: { code: string }[] } };
      expect(body.decision).toBe(false);
      expect(body.context.reasons.map((r) => r.code)).toContain('NTK_NO_CASE');
    });

    it('refuses a BSN that fails the elfproef with 422', async () => {
      const res = await evaluate('politie.registraties', 'risicotaxatie', {
        caseId: 'case-1',
        bsn: '123456789',
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_VALIDATION');
    });

    it('refuses a caller without identity with 401', async () => {
      const res = await evaluate('politie.registraties', 'risicotaxatie', {}, { 'x-test-anonymous': '1' });
      expect(res.status).toBe(401);
    });
  });
});
