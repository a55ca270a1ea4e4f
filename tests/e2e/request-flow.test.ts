// A whole information request against `schakel serve` as partners would make it: mTLS, user tokens,
// the real wasm policy, the real disclosure log, and a receipt that verifies against the published JWKS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compactVerify, createLocalJWKSet } from 'jose';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saltedPayloadHash } from '../../broker/audit/payload-hash.ts';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { TEST_MELDING } from './open-case.ts';

const BSN = '111222333';

describe('an information request end to end', () => {
  const cwd = scratchDir('flow-e2e');
  const pki = path.join(cwd, 'var/pki');
  let broker: ServeHandle;
  const agents = new Map<string, Agent>();

  beforeAll(async () => {
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
  }, 60_000);
  afterAll(async () => {
    for (const agent of agents.values()) await agent.close();
    await broker?.stop('SIGKILL');
  });

  function agentFor(partner: string, dir = 'partners'): Agent {
    let agent = agents.get(`${dir}/${partner}`);
    if (agent === undefined) {
      agent = new Agent({
        connect: {
          ca: readFileSync(`${pki}/ca.pem`, 'utf8'),
          cert: readFileSync(`${pki}/${dir}/${partner}/cert.pem`, 'utf8'),
          key: readFileSync(`${pki}/${dir}/${partner}/key.pem`, 'utf8'),
          servername: 'localhost',
        },
      });
      agents.set(`${dir}/${partner}`, agent);
    }
    return agent;
  }

  async function token(partner: string, role: string): Promise<string> {
    const run = await runSchakel(
      ['pki', 'token', '--partner', partner, '--user', `${partner}-u`, '--role', role],
      { cwd },
    );
    expect(run.code).toBe(0);
    return run.stdout.trim();
  }

  async function call(partner: string, role: string, method: string, url: string, body?: unknown) {
    const res = await fetch(`https://127.0.0.1:${broker.port}${url}`, {
      method,
      dispatcher: agentFor(partner),
      headers: { authorization: `Bearer ${await token(partner, role)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('discloses minimised data with a receipt that verifies, and queues the GGZ category for review', async () => {
    const opened = await call('demo-politie', 'casusregisseur', 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: TEST_MELDING,
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    expect(
      (
        await call('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/members`, {
          partner: 'demo-ggz',
          role: 'behandelaar',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('demo-politie', 'casusregisseur', 'POST', `/v1/cases/${caseId}/events`, {
          type: 'inclusiebesluit',
          data: { besluit: 'in' },
        })
      ).status,
    ).toBe(201);

    const answer = await call('demo-politie', 'casusregisseur', 'POST', '/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'risicotaxatie',
      categories: ['om.strafzaken', 'ggz.bekend'],
    });
    expect(answer.status).toBe(200);
    const items = answer.body.items as { category: string; outcome: string; data?: unknown }[];
    const strafzaken = items.find((i) => i.category === 'om.strafzaken')!;
    expect(strafzaken.outcome).toBe('disclosed');
    expect(items.find((i) => i.category === 'ggz.bekend')).toMatchObject({ outcome: 'pending_review' });

    // The receipt is a JWS by the broker's published key, and its salted hash is of exactly what was sent.
    const jwks = (await (
      await fetch(`https://127.0.0.1:${broker.port}/.well-known/jwks.json`, {
        dispatcher: agentFor('demo-politie'),
      })
    ).json()) as {
      keys: [];
    };
    const { payload } = await compactVerify(answer.body.receipt as string, createLocalJWKSet(jwks));
    const receipt = JSON.parse(new TextDecoder().decode(payload)) as {
      items: { category: string; nonce: string; payloadHash: string }[];
    };
    const covered = receipt.items.find((i) => i.category === 'om.strafzaken')!;
    expect(saltedPayloadHash(strafzaken.data, covered.nonce).hash).toBe(covered.payloadHash);

    // The behandelaar sees the review in the queue.
    const queue = await call('demo-ggz', 'behandelaar', 'GET', '/v1/reviews');
    expect(JSON.stringify(queue.body)).toContain(answer.body.id as string);
  });

  async function asPerson(person: string, method: string, url: string, body?: unknown) {
    const res = await fetch(`https://127.0.0.1:${broker.port}${url}`, {
      method,
      dispatcher: agentFor(person, 'people'),
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  }

  it('lets a privacy officer review a break-glass use once; others may not', async () => {
    const use = await call('demo-om', 'officier', 'POST', '/v1/requests', {
      subject: { bsn: BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
      justification: 'acute dreiging met een wapen',
    });
    expect(use.status).toBe(200);
    const id = use.body.id as string;
    const listed = await asPerson('po-om', 'GET', '/v1/breakglass');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ requestId: id, requester: 'demo-om', overdue: false }),
      ]),
    );
    expect((await asPerson('evaluator', 'GET', '/v1/breakglass')).status).toBe(403);
    const reviewed = await asPerson('po-om', 'POST', `/v1/breakglass/${id}/review`, {
      verdict: 'gerechtvaardigd',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ requestId: id, review: { verdict: 'gerechtvaardigd' } });
    expect(
      (await asPerson('po-om', 'POST', `/v1/breakglass/${id}/review`, { verdict: 'gerechtvaardigd' })).status,
    ).toBe(409);
  });

  it('leaves a log that verifies and holds no BSN', async () => {
    await broker.stop('SIGTERM');
    const verify = await runSchakel(['audit', 'verify'], { cwd });
    expect(verify.code).toBe(0);
    expect(broker.output()).not.toContain(BSN);
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
  }, 60_000);
});
