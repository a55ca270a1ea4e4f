// The identity guard through app.request(), with an injected getPeerCertificate: no sockets.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { identityGuard, defaultAudience } from '../../broker/identity/guard.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import type { PeerCertificate } from '../../broker/identity/peer-certificate.ts';
import type { PartnerRecord, PersonRecord } from '../../broker/identity/registry.ts';
import { whoamiRoutes } from '../../broker/identity/whoami-routes.ts';
import { issuePartnerCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { x509 } from '../../keys/crypto.ts';
import { scratchDir } from '../support/databases.ts';
import { memoryAppender, silentLogger } from './support.ts';

const OIN = '00000001800000002000';
const om: PartnerRecord = {
  id: 'om',
  kind: 'om',
  identifierType: 'oin',
  identifier: OIN,
  unit: '',
  organisation: 'OM',
  national: false,
  jwks: undefined,
};

describe('identityGuard', () => {
  const dir = scratchDir('guard');
  let raw: Uint8Array;
  let status = { ok: true, problems: [] as string[] };
  let revoked = false;
  const appender = memoryAppender();

  const app = (peer: PeerCertificate | undefined, logger = silentLogger) =>
    createApp({
      logger,
      metrics: createHttpMetrics(),
      maxBodyBytes: 1 << 20,
      guards: [
        identityGuard({
          getPeerCertificate: () => peer,
          registry: {
            findPartner: (type, id, unit) =>
              Promise.resolve(type === 'oin' && id === OIN && unit === '' ? om : undefined),
            getPartner: (id) => Promise.resolve(id === 'om' ? om : undefined),
            getPerson: (): Promise<PersonRecord | undefined> => Promise.resolve(undefined),
          },
          trust: { isRevoked: () => revoked, status: () => status },
          audit: createIdentityAudit(appender, logger),
        }),
      ],
      routes: [whoamiRoutes()],
    });

  beforeAll(async () => {
    await createPki(dir);
    const out = path.join(dir, 'om');
    await issuePartnerCertificate(dir, { partnerId: 'om', oin: OIN, organisation: 'OM', out });
    raw = new Uint8Array(new x509.X509Certificate(readFileSync(issuedFiles(out).cert, 'utf8')).rawData);
  });

  const code = async (peer: PeerCertificate | undefined, url = 'http://x/v1/whoami') => {
    const res = await app(peer).request(url);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    return ((await res.json()) as { code: string }).code;
  };

  it('sets the identity of a registered partner', async () => {
    const res = await app({ raw, authorized: true }).request('http://x/v1/whoami');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'system', partner: { id: 'om', identifier: OIN } });
  });

  it('refuses without a certificate and records the refusal', async () => {
    expect(await code(undefined)).toBe('ERR_CERT_REQUIRED');
    expect(appender.records.at(-1)).toMatchObject({
      type: 'identity.refused',
      details: { code: 'ERR_CERT_REQUIRED', path: '/v1/whoami', method: 'GET' },
    });
  });

  it('records and logs a refused path with a BSN in it masked, never the BSN', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const res = await app(undefined, logger).request('http://x/v1/cases/111222333/events');
    expect(res.status).toBe(401);
    expect(appender.records.at(-1)).toMatchObject({
      type: 'identity.refused',
      details: { code: 'ERR_CERT_REQUIRED', path: '/v1/cases/[bsn]/events' },
    });
    expect(lines.join('')).toContain('/v1/cases/[bsn]/events');
    expect(lines.join('')).not.toContain('111222333');
  });

  it('maps the TLS verdict to a code', async () => {
    expect(await code({ raw, authorized: false, authorizationError: 'CERT_HAS_EXPIRED' })).toBe(
      'ERR_CERT_EXPIRED',
    );
    expect(await code({ raw, authorized: false, authorizationError: 'CERT_REVOKED' })).toBe(
      'ERR_CERT_REVOKED',
    );
    expect(await code({ raw, authorized: false, authorizationError: 'INVALID_PURPOSE' })).toBe(
      'ERR_CERT_WRONG_PURPOSE',
    );
    expect(await code({ raw, authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' })).toBe(
      'ERR_CERT_UNTRUSTED',
    );
  });

  it('refuses a certificate revoked since the connection was opened', async () => {
    revoked = true;
    try {
      expect(await code({ raw, authorized: true })).toBe('ERR_CERT_REVOKED');
    } finally {
      revoked = false;
    }
  });

  it('fails closed with 503 ERR_TRUST_UNAVAILABLE when a CRL has expired', async () => {
    status = { ok: false, problems: ['the CRL expired'] };
    try {
      const res = await app({ raw, authorized: true }).request('http://x/v1/whoami');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_TRUST_UNAVAILABLE');
    } finally {
      status = { ok: true, problems: [] };
    }
  });

  it('refuses a malformed Authorization header with ERR_TOKEN_INVALID', async () => {
    const res = await app({ raw, authorized: true }).request('http://x/v1/whoami', {
      headers: { authorization: 'Basic abc' },
    });
    expect(((await res.json()) as { code: string }).code).toBe('ERR_TOKEN_INVALID');
  });

  it('runs before unknown routes too (a 404 is never shown to an unidentified caller)', async () => {
    expect(await code(undefined, 'http://x/v1/nothing-here')).toBe('ERR_CERT_REQUIRED');
  });

  it('splits paths between partner systems and people', () => {
    expect(defaultAudience('/ui/policies')).toBe('person');
    expect(defaultAudience('/v1/whoami')).toBe('any');
    expect(defaultAudience('/v1/requests')).toBe('system');
    // Auditors are people; they read the log and receipts.
    expect(defaultAudience('/v1/audit/entries')).toBe('any');
    expect(defaultAudience('/v1/receipts/abc')).toBe('any');
    expect(defaultAudience('/v1/policies')).toBe('any');
    expect(defaultAudience('/openapi.json')).toBe('any');
    expect(defaultAudience('/docs')).toBe('any');
    expect(defaultAudience('/.well-known/jwks.json')).toBe('any');
    // Only whole path segments: a path that merely begins like one is for partner systems.
    expect(defaultAudience('/v1/auditors')).toBe('system');
    expect(defaultAudience('/v1/whoami-else')).toBe('system');
    expect(defaultAudience('/docsx')).toBe('system');
    expect(defaultAudience('/openapi.jsonx')).toBe('system');
  });
});
