// The partner port over real TLS sockets: every certificate and token case gets its own code.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintUserToken } from '../../broker/identity/user-token.ts';
import type { Store } from '../../broker/store/database.ts';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { revokeCertificate } from '../../keys/crl.ts';
import { issuePartnerCertificate, issuePersonCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { openTestStore, scratchDir } from '../support/databases.ts';
import { clientFiles, get, startTestBroker, type ClientFiles, type TestBroker } from './support.ts';

const POLITIE_OIN = '00000001800000001000';
const DAY = 24 * 60 * 60 * 1000;

describe('the partner port over mutual TLS', () => {
  const dir = scratchDir('mtls');
  const otherDir = scratchDir('mtls-other');
  const out = (name: string) => path.join(dir, 'out', name);
  let store: Store;
  let broker: TestBroker;
  const certs: Record<string, ClientFiles> = {};
  const serials: Record<string, string> = {};

  const tokenFor = async (
    partner: string,
    o: { role?: string; bindTo?: string; now?: Date; keyOf?: string } = {},
  ) =>
    mintUserToken({
      partnerId: partner,
      user: 'u-42',
      role: o.role ?? 'analist',
      key: JSON.parse(readFileSync(issuedFiles(out(o.keyOf ?? partner)).tokenKey, 'utf8')) as JWK,
      x5tS256: certificateFacts(certs[o.bindTo ?? partner]!.cert).x5tS256,
      ...(o.now === undefined ? {} : { now: o.now }),
    });

  beforeAll(async () => {
    await createPki(dir);
    await createPki(otherDir);
    const issue = async (name: string, o: Parameters<typeof issuePartnerCertificate>[1]) => {
      serials[name] = (await issuePartnerCertificate(dir, o)).serial;
      certs[name] = clientFiles(o.out);
    };
    const base = { organisation: 'Politie', oin: POLITIE_OIN };
    await issue('politie', { ...base, partnerId: 'politie', unit: 'LTDM', out: out('politie') });
    await issue('politie-2', { ...base, partnerId: 'politie', unit: 'LTDM', out: out('politie-2') });
    await issue('revoke-me', { ...base, partnerId: 'politie', unit: 'LTDM', out: out('revoke-me') });
    await issue('ggz', { partnerId: 'ggz', ura: '90000001', organisation: 'GGZ', out: out('ggz') });
    await issue('expired', {
      ...base,
      partnerId: 'politie',
      unit: 'LTDM',
      out: out('expired'),
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    await issue('no-client-auth', {
      ...base,
      partnerId: 'politie',
      unit: 'LTDM',
      out: out('no-client-auth'),
      purposes: ['1.3.6.1.5.5.7.3.1'],
    });
    await issue('unregistered', {
      partnerId: 'x',
      oin: '00000001899999999000',
      organisation: 'X',
      out: out('unregistered'),
    });
    await issuePartnerCertificate(otherDir, {
      ...base,
      partnerId: 'politie',
      unit: 'LTDM',
      out: out('other-ca'),
    });
    certs['other-ca'] = clientFiles(out('other-ca'));
    await issuePersonCertificate(dir, {
      personId: 'po-1',
      name: 'Pia Officer',
      partnerId: 'ggz',
      role: 'privacy_officer',
      out: out('person'),
    });
    certs.person = clientFiles(out('person'));

    store = await openTestStore('pglite');
    broker = await startTestBroker(dir, store);
    const jwks = (name: string) =>
      JSON.parse(readFileSync(issuedFiles(out(name)).tokenJwks, 'utf8')) as {
        keys: Record<string, unknown>[];
      };
    await broker.registry.addPartner({
      id: 'politie',
      kind: 'politie',
      identifierType: 'oin',
      identifier: POLITIE_OIN,
      unit: 'LTDM',
      organisation: 'Politie',
      national: true,
      jwks: jwks('politie'),
    });
    await broker.registry.addPartner({
      id: 'ggz',
      kind: 'ggz',
      identifierType: 'ura',
      identifier: '90000001',
      organisation: 'GGZ',
      jwks: jwks('ggz'),
    });
    await broker.registry.addPerson({
      id: 'po-1',
      name: 'Pia Officer',
      partnerId: 'ggz',
      role: 'privacy_officer',
    });
  });

  afterAll(async () => {
    await broker?.close();
    await store?.close();
  });

  const refusal = async (
    name: string | undefined,
    code: string,
    status: number,
    urlPath = '/v1/whoami',
    token?: string,
  ) => {
    const answer = await get(
      broker,
      urlPath,
      name === undefined ? undefined : certs[name],
      token === undefined ? {} : { token },
    );
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ code, status });
    expect(answer.status).toBe(status);
    expect(broker.records.at(-1)).toMatchObject({ type: 'identity.refused', details: { code } });
  };

  it('answers whoami with the partner and its OIN and unit for a registered certificate', async () => {
    const answer = await get(broker, '/v1/whoami', certs.politie);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      kind: 'system',
      partner: {
        id: 'politie',
        kind: 'politie',
        identifierType: 'oin',
        identifier: POLITIE_OIN,
        unit: 'LTDM',
        national: true,
      },
    });
    expect(answer.body.user).toBeUndefined();
  });

  it('reads the URA of a UZI-style certificate', async () => {
    const answer = await get(broker, '/v1/whoami', certs.ggz);
    expect(answer.body).toMatchObject({
      partner: { id: 'ggz', identifierType: 'ura', identifier: '90000001' },
    });
  });

  it('refuses a connection without a certificate with ERR_CERT_REQUIRED', () =>
    refusal(undefined, 'ERR_CERT_REQUIRED', 401));
  it('refuses a certificate from another CA with ERR_CERT_UNTRUSTED', () =>
    refusal('other-ca', 'ERR_CERT_UNTRUSTED', 401));
  it('refuses an expired certificate with ERR_CERT_EXPIRED', () =>
    refusal('expired', 'ERR_CERT_EXPIRED', 401));
  it('refuses a certificate without clientAuth with ERR_CERT_WRONG_PURPOSE', () =>
    refusal('no-client-auth', 'ERR_CERT_WRONG_PURPOSE', 401));
  it('refuses a trusted certificate whose OIN is not registered with ERR_PARTNER_UNKNOWN', () =>
    refusal('unregistered', 'ERR_PARTNER_UNKNOWN', 401));
  it('refuses a personal certificate on a partner-system path with ERR_CERT_PERSON_AS_SYSTEM', () =>
    refusal('person', 'ERR_CERT_PERSON_AS_SYSTEM', 403, '/v1/requests'));
  it('refuses a partner-system certificate on the pages with ERR_CERT_SYSTEM_AS_PERSON', () =>
    refusal('politie', 'ERR_CERT_SYSTEM_AS_PERSON', 403, '/ui/'));

  it('signs a registered person in with a personal certificate', async () => {
    const answer = await get(broker, '/v1/whoami', certs.person);
    expect(answer.body).toMatchObject({
      kind: 'person',
      person: { id: 'po-1', role: 'privacy_officer', partnerId: 'ggz' },
      partner: { id: 'ggz' },
    });
  });

  describe('user tokens', () => {
    it('shows the user and role of a valid token', async () => {
      const answer = await get(broker, '/v1/whoami', certs.politie, { token: await tokenFor('politie') });
      expect(answer.status).toBe(200);
      expect(answer.body.user).toEqual({ id: 'u-42', role: 'analist' });
    });

    it('refuses an expired token with ERR_TOKEN_EXPIRED', async () =>
      refusal(
        'politie',
        'ERR_TOKEN_EXPIRED',
        401,
        '/v1/whoami',
        await tokenFor('politie', { now: new Date(Date.now() - 20 * 60 * 1000) }),
      ));

    it('refuses a token signed with another key with ERR_TOKEN_INVALID', async () =>
      refusal(
        'politie',
        'ERR_TOKEN_INVALID',
        401,
        '/v1/whoami',
        await tokenFor('politie', { keyOf: 'politie-2' }),
      ));

    it('refuses a token bound to another certificate with ERR_TOKEN_BINDING', async () =>
      refusal(
        'politie',
        'ERR_TOKEN_BINDING',
        401,
        '/v1/whoami',
        await tokenFor('politie', { bindTo: 'politie-2' }),
      ));

    it("refuses a token replayed over another partner's certificate with ERR_TOKEN_BINDING", async () =>
      refusal('ggz', 'ERR_TOKEN_BINDING', 401, '/v1/whoami', await tokenFor('politie')));

    it('refuses a role the partner kind does not have with ERR_ROLE_NOT_ALLOWED', async () =>
      refusal(
        'politie',
        'ERR_ROLE_NOT_ALLOWED',
        403,
        '/v1/whoami',
        await tokenFor('politie', { role: 'behandelaar' }),
      ));
  });

  it('applies a revocation to an open keep-alive connection and to new connections within a second', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...certs['revoke-me'] });
    try {
      const first = await get(broker, '/v1/whoami', certs['revoke-me'], { agent });
      expect(first.status).toBe(200);
      const sockets = Object.values(agent.freeSockets).flat() as TLSSocket[];
      expect(sockets).toHaveLength(1);
      const closed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the open connection was not closed within 1 s')),
          1_000,
        );
        sockets[0]!.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await revokeCertificate(dir, serials['revoke-me']!);
      await closed;
      await refusal('revoke-me', 'ERR_CERT_REVOKED', 401);
      const again = await get(broker, '/v1/whoami', certs['revoke-me'], { agent });
      expect(again.body).toMatchObject({ code: 'ERR_CERT_REVOKED' });
      expect((await get(broker, '/v1/whoami', certs.politie)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
