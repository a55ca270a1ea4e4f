// Policy administration behind the real identity guard: a privacy officer's browser cannot be made to approve, activate or replay from another site.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { identityGuard } from '../../broker/identity/guard.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import type { PeerCertificate } from '../../broker/identity/peer-certificate.ts';
import type { PartnerRecord, PersonRecord } from '../../broker/identity/registry.ts';
import { identityOf, requirePerson } from '../../broker/identity/require.ts';
import { createLogger } from '../../broker/logger.ts';
import { policyLifecycleRoutes, type RevisionDetail } from '../../broker/policy/lifecycle/index.ts';
import type { Store } from '../../broker/store/database.ts';
import { x509 } from '../../keys/crypto.ts';
import { issuePartnerCertificate, issuePersonCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { BACKENDS, openTestStore, scratchDir } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { memoryAppender } from '../identity/support.ts';
import {
  OFFICERS,
  createLifecycleFixture,
  matrixProposal,
  type LifecycleFixture,
} from './lifecycle-fixture.ts';
import { INSTALL_OPA, findOpa, opaRequired } from './support.ts';

const haveOpa = findOpa() !== undefined;
if (!haveOpa && opaRequired()) throw new Error(`the policy lifecycle tests need opa: ${INSTALL_OPA}`);

const BROKER = 'https://broker.test';
const OIN = '00000001800000002000';

function partner(id: string, kind: PartnerRecord['kind'], identifier: string): PartnerRecord {
  return {
    id,
    kind,
    identifierType: 'oin',
    identifier,
    unit: '',
    organisation: id,
    national: false,
    jwks: undefined,
  };
}

const PARTNERS = [partner('demo-politie', 'politie', '00000001800000009000'), partner('demo-om', 'om', OIN)];
const PEOPLE: PersonRecord[] = [
  { id: OFFICERS.politieA.id, name: 'P. Politie', partnerId: 'demo-politie', role: 'privacy_officer' },
  { id: OFFICERS.omB.id, name: 'O. Om', partnerId: 'demo-om', role: 'privacy_officer' },
];

/** A browser's headers: a form on another site, or a fetch from the broker's own page. */
const CROSS_SITE_FORM = {
  origin: 'https://evil.example',
  'sec-fetch-site': 'cross-site',
  'content-type': 'application/x-www-form-urlencoded',
};
const SAME_ORIGIN_JSON = {
  origin: BROKER,
  'sec-fetch-site': 'same-origin',
  'content-type': 'application/json',
};

async function certificate(write: (out: string) => Promise<unknown>, out: string): Promise<Uint8Array> {
  await write(out);
  return new Uint8Array(new x509.X509Certificate(readFileSync(issuedFiles(out).cert, 'utf8')).rawData);
}

describe.skipIf(!haveOpa).each(BACKENDS)('policy administration from another site on %s', (backend) => {
  const dir = scratchDir('cross-site');
  const identityRecords = memoryAppender();
  const certs = new Map<string, Uint8Array>();
  let store: Store;
  let f: LifecycleFixture;
  let revision: string;

  /** The broker's app with the real guard; the certificate is chosen per request by a test header. */
  const app = () =>
    createApp({
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics({ collectProcessMetrics: false }),
      maxBodyBytes: 1 << 20,
      guards: [
        identityGuard({
          getPeerCertificate: (c): PeerCertificate | undefined => {
            const raw = certs.get(c.req.header('x-test-cert') ?? '');
            return raw === undefined ? undefined : { raw, authorized: true };
          },
          registry: {
            findPartner: (type, id, unit) =>
              Promise.resolve(PARTNERS.find((p) => p.identifier === id && p.unit === unit && type === 'oin')),
            getPartner: (id) => Promise.resolve(PARTNERS.find((p) => p.id === id)),
            getPerson: (id) => Promise.resolve(PEOPLE.find((p) => p.id === id)),
          },
          trust: { isRevoked: () => false, status: () => ({ ok: true, problems: [] }) },
          audit: createIdentityAudit(identityRecords, createLogger({ level: 'silent' })),
        }),
      ],
      routes: [
        policyLifecycleRoutes({
          lifecycle: f.lifecycle,
          // As broker/main.ts wires it.
          getOfficer: (c) => {
            const person = requirePerson(c, ['privacy_officer']);
            return { id: person.id, partnerId: person.partnerId, partnerKind: identityOf(c).partner.kind };
          },
        }),
      ],
    });

  const send = (cert: string, url: string, headers: Record<string, string>, body?: unknown) =>
    app().request(`${BROKER}${url}`, {
      method: 'POST',
      headers: { ...headers, 'x-test-cert': cert },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const problem = async (res: Response) => {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    return ((await res.json()) as { code: string }).code;
  };
  const detail = async () => {
    const res = await app().request(`${BROKER}/v1/policies/${revision}`, {
      headers: { 'x-test-cert': OFFICERS.omB.id },
    });
    return (await res.json()) as RevisionDetail;
  };

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    f = await createLifecycleFixture(store);
    await createPki(dir);
    for (const person of PEOPLE) {
      certs.set(
        person.id,
        await certificate(
          (out) =>
            issuePersonCertificate(dir, {
              personId: person.id,
              name: person.name,
              partnerId: person.partnerId,
              role: person.role,
              out,
            }),
          path.join(dir, person.id),
        ),
      );
    }
    certs.set(
      'om-system',
      await certificate(
        (out) => issuePartnerCertificate(dir, { partnerId: 'demo-om', oin: OIN, organisation: 'OM', out }),
        path.join(dir, 'om-system'),
      ),
    );
    // The same-origin JSON call of a privacy officer goes through.
    const proposed = await send(
      OFFICERS.politieA.id,
      '/v1/policies',
      SAME_ORIGIN_JSON,
      matrixProposal('politie', 'risicotaxatie', 'om.strafzaken', false),
    );
    expect(proposed.status).toBe(201);
    revision = ((await proposed.json()) as RevisionDetail).revision;
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(['approve', 'activate', 'replay'])(
    'refuses a cross-site form post to %s with ERR_CSRF and records nothing',
    async (action) => {
      const officer = action === 'activate' ? OFFICERS.politieA.id : OFFICERS.omB.id;
      const logged = f.audit.records.length;
      const res = await send(officer, `/v1/policies/${revision}/${action}`, CROSS_SITE_FORM);
      expect(res.status).toBe(403);
      expect(await problem(res)).toBe('ERR_CSRF');
      expect(f.audit.records.length).toBe(logged);
      expect(await detail()).toMatchObject({ status: 'built', approval: { approvals: [] }, replay: null });
      expect(identityRecords.records.at(-1)).toMatchObject({
        type: 'identity.refused',
        details: { code: 'ERR_CSRF', method: 'POST', path: `/v1/policies/${revision}/${action}` },
      });
    },
  );

  it('refuses a post from another origin when the browser sends no fetch metadata', async () => {
    const { 'sec-fetch-site': _site, ...originOnly } = CROSS_SITE_FORM;
    const res = await send(OFFICERS.omB.id, `/v1/policies/${revision}/approve`, originOnly);
    expect(await problem(res)).toBe('ERR_CSRF');
    const sameSite = { ...SAME_ORIGIN_JSON, 'sec-fetch-site': 'same-site' };
    expect(await problem(await send(OFFICERS.omB.id, `/v1/policies/${revision}/approve`, sameSite))).toBe(
      'ERR_CSRF',
    );
  });

  it.each(['approve', 'activate', 'replay'])(
    'refuses an empty %s that is not application/json with ERR_UNSUPPORTED_MEDIA_TYPE',
    async (action) => {
      const officer = action === 'activate' ? OFFICERS.politieA.id : OFFICERS.omB.id;
      const logged = f.audit.records.length;
      const formHeaders = { ...SAME_ORIGIN_JSON, 'content-type': 'application/x-www-form-urlencoded' };
      for (const headers of [formHeaders, { 'content-type': 'text/plain' }, {}]) {
        const res = await send(officer, `/v1/policies/${revision}/${action}`, headers);
        expect(res.status).toBe(415);
        expect(await problem(res)).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
      }
      expect(f.audit.records.length).toBe(logged);
      expect(await detail()).toMatchObject({ status: 'built', approval: { approvals: [] }, replay: null });
    },
  );

  it('lets a partner system through the guard whatever these headers say', async () => {
    // A partner system is no privacy officer: getOfficer refuses it, after the guard let it pass.
    for (const headers of [{ 'content-type': 'application/json' }, CROSS_SITE_FORM]) {
      const res = await send('om-system', `/v1/policies/${revision}/approve`, headers);
      expect(await problem(res)).toBe('ERR_FORBIDDEN');
    }
  });

  it('approves, replays and activates with same-origin JSON calls, an empty body or {}', async () => {
    const replay = await send(OFFICERS.omB.id, `/v1/policies/${revision}/replay`, SAME_ORIGIN_JSON);
    expect(replay.status).toBe(200);
    const approved = await send(OFFICERS.omB.id, `/v1/policies/${revision}/approve`, SAME_ORIGIN_JSON, {
      acknowledgeFailingTests: true,
    });
    expect(approved.status).toBe(200);
    // A command-line client sends neither Origin nor fetch metadata.
    const activated = await send(OFFICERS.politieA.id, `/v1/policies/${revision}/activate`, {
      'content-type': 'application/json',
    });
    expect(activated.status).toBe(200);
    expect(f.policy.revision()).toBe(revision);
  });
});
