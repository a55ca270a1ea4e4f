// The lifecycle against `schakel serve` over mutual TLS: privacy officers propose, approve and activate with
// personal certificates; the partner API then decides by the new revision, in every broker process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  POSTGRES_URL,
  createScratchDatabase,
  scratchDir,
  type ScratchDatabase,
} from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { INSTALL_OPA, findOpa, opaRequired } from './support.ts';
import { TEST_MELDING } from '../e2e/open-case.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the lifecycle end-to-end test needs opa: ${INSTALL_OPA}`);

const BSN = '111222333';

describe.skipIf(!haveOpa).each(BACKENDS)('the policy lifecycle end to end on %s', (backend) => {
  const cwd = scratchDir('lifecycle-e2e');
  const pki = path.join(cwd, 'var/pki');
  const brokers: ServeHandle[] = [];
  const agents = new Map<string, Agent>();
  const tokens = new Map<string, string>();
  let database: ScratchDatabase | undefined;
  let env: Record<string, string> = { SCHAKEL_LOG_PRETTY: 'false', SCHAKEL_POLICY_POLL_MS: '100' };

  beforeAll(async () => {
    if (backend === 'postgres') {
      database = await createScratchDatabase(POSTGRES_URL!, 'schakel_e2e');
      env = { ...env, SCHAKEL_DATABASE_URL: database.url, SCHAKEL_DEMO: 'true' };
    }
    brokers.push(await startServe({ cwd, env, timeoutMs: 60_000 }));
    // Two broker processes on one PostgreSQL, sharing the data dir's keys as replicas do.
    if (backend === 'postgres') brokers.push(await startServe({ cwd, env, timeoutMs: 60_000 }));
  }, 120_000);
  afterAll(async () => {
    for (const agent of agents.values()) await agent.close();
    for (const broker of brokers) await broker.stop('SIGKILL');
    await database?.drop();
  });

  function agentFor(dir: 'partners' | 'people', id: string): Agent {
    let agent = agents.get(`${dir}/${id}`);
    if (agent === undefined) {
      agent = new Agent({
        connect: {
          ca: readFileSync(`${pki}/ca.pem`, 'utf8'),
          cert: readFileSync(`${pki}/${dir}/${id}/cert.pem`, 'utf8'),
          key: readFileSync(`${pki}/${dir}/${id}/key.pem`, 'utf8'),
          servername: 'localhost',
        },
      });
      agents.set(`${dir}/${id}`, agent);
    }
    return agent;
  }

  async function send(
    broker: ServeHandle,
    agent: Agent,
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ) {
    const res = await fetch(`https://127.0.0.1:${broker.port}${url}`, {
      method,
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const person = (id: string, method: string, url: string, body?: unknown, broker = brokers[0]!) =>
    send(broker, agentFor('people', id), method, url, {}, body);

  async function partner(
    id: string,
    role: string,
    method: string,
    url: string,
    body?: unknown,
    broker = brokers[0]!,
  ) {
    let token = tokens.get(`${id}/${role}`);
    if (token === undefined) {
      const run = await runSchakel(['pki', 'token', '--partner', id, '--user', `${id}-u`, '--role', role], {
        cwd,
        env,
      });
      expect(run.code).toBe(0);
      token = run.stdout.trim();
      tokens.set(`${id}/${role}`, token);
    }
    return send(broker, agentFor('partners', id), method, url, { authorization: `Bearer ${token}` }, body);
  }

  it('lets privacy officers change a rule that the partner API then enforces in every broker process', async () => {
    const listed = await person('po-politie', 'GET', '/v1/policies');
    expect(listed.status).toBe(200);
    const baseline = (listed.body.active as { revision: string }).revision;
    expect((await person('evaluator', 'GET', '/v1/policies')).status).toBe(403);
    expect((await partner('demo-politie', 'casusregisseur', 'GET', '/v1/policies')).status).toBe(403);

    const opened = await partner('demo-politie', 'casusregisseur', 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: TEST_MELDING,
    });
    const caseId = opened.body.id as string;
    await partner('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    const ask = async (broker: ServeHandle) => {
      const res = await partner(
        'demo-politie',
        'casusregisseur',
        'POST',
        '/v1/requests',
        { caseId, subject: { bsn: BSN }, purpose: 'risicotaxatie', categories: ['om.strafzaken'] },
        broker,
      );
      expect(res.status).toBe(200);
      return (res.body.items as { outcome: string; reasons: { code: string }[] }[])[0]!;
    };
    for (const broker of brokers) expect((await ask(broker)).outcome).toBe('disclosed');

    const proposed = await person('po-politie', 'POST', '/v1/policies', {
      kind: 'catalogue',
      description: 'politie no longer gets pending criminal cases for risk assessment',
      edits: [
        {
          op: 'matrix',
          requesterKind: 'politie',
          purpose: 'risicotaxatie',
          category: 'om.strafzaken',
          allowed: false,
        },
      ],
    });
    expect(proposed.status).toBe(201);
    const revision = proposed.body.revision as string;
    const replay = await person('po-om', 'POST', `/v1/policies/${revision}/replay`, {});
    expect(replay.status).toBe(200);
    // Inputs are retained in the background; the decisions above are long written by now.
    const changes = replay.body.changes as { from: string; to: string; count: number }[];
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['permit>deny']);
    expect(changes[0]!.count).toBeGreaterThanOrEqual(1);
    expect((await person('po-politie', 'POST', `/v1/policies/${revision}/approve`, {})).body.code).toBe(
      'ERR_POLICY_SELF_APPROVAL',
    );
    // A form on another site, opened by an officer whose browser holds the certificate: refused.
    const crossSite = {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      'content-type': 'application/x-www-form-urlencoded',
    };
    for (const [id, action] of [
      ['po-om', 'approve'],
      ['po-politie', 'activate'],
      ['po-om', 'replay'],
    ] as const) {
      const forged = await send(
        brokers[0]!,
        agentFor('people', id),
        'POST',
        `/v1/policies/${revision}/${action}`,
        crossSite,
      );
      expect(forged).toMatchObject({ status: 403, body: { code: 'ERR_CSRF' } });
    }
    const untouched = await person('po-om', 'GET', `/v1/policies/${revision}`);
    expect(untouched.body.approval).toMatchObject({ approvals: [] });
    expect(
      (await person('po-om', 'POST', `/v1/policies/${revision}/approve`, { acknowledgeFailingTests: true }))
        .status,
    ).toBe(200);
    const activated = await person('po-politie', 'POST', `/v1/policies/${revision}/activate`, {});
    expect(activated.status).toBe(200);

    const first = await ask(brokers[0]!);
    expect(first.outcome).toBe('denied');
    expect(first.reasons.map((r) => r.code)).toContain('NTK_NOT_IN_MATRIX');
    for (const broker of brokers.slice(1)) {
      // The other process polls the database (every 100 ms here); ask until it has switched.
      const deadline = Date.now() + 15_000;
      let outcome = (await ask(broker)).outcome;
      while (outcome === 'disclosed' && Date.now() < deadline) outcome = (await ask(broker)).outcome;
      expect(outcome).toBe('denied');
    }
    const after = await person('po-ggz', 'GET', '/v1/policies');
    expect(after.body.active).toMatchObject({ revision, activatedBy: 'po-politie' });
    expect(baseline).not.toBe(revision);
  }, 120_000);
});
