// The alternative stack's decision point and upstream: nginx's auth_request asks this shim, the shim asks OPA.
// Run as a child process by the benchmark: node bench/e2e/opa-shim.ts FIXTURE_JSON; prints its port on stdout.
//
// OPA's data API answers 200 with a JSON body whatever the policy decides, and nginx's auth_request
// only looks at the status, so something must turn the decision into 200 or 403: this shim. It
// verifies the user token as the broker does (ES256, audience, expiry, certificate binding), asks
// OPA for every category, answers 200 when any is permitted or goes to review and 403 when all are
// denied, and passes
// the per-category decisions on in a header so the benchmark can check they are the broker's.
// auth_request subrequests carry no body, so the facts come in headers (x-case, x-purpose,
// x-categories): an API built on auth_request would have to be designed that way.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { Pool } from 'undici';
import type { PolicyCase } from '../../broker/policy/types.ts';

/** What the benchmark hands the shim: OPA's address, the partners and the cases (no database here). */
export interface ShimFixture {
  readonly opaUrl: string;
  readonly subjectPseudonym: string;
  /** By the client certificate's SHA-1 fingerprint, as nginx's $ssl_client_fingerprint gives it. */
  readonly partners: Record<
    string,
    { id: string; kind: string; national: boolean; x5tS256: string; jwks: JSONWebKeySet }
  >;
  /** Holder partner id by partner kind. */
  readonly holders: Record<string, string>;
  /** Category to holder kind. */
  readonly categories: Record<string, string>;
  readonly cases: Record<string, PolicyCase>;
}

const fixtureFile = process.argv[2];
if (fixtureFile === undefined) {
  console.error('usage: node bench/e2e/opa-shim.ts FIXTURE_JSON');
  process.exit(2);
}
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as ShimFixture;
const opa = new Pool(fixture.opaUrl, { connections: 64, keepAliveTimeout: 60_000 });
const jwks = new Map(Object.entries(fixture.partners).map(([fp, p]) => [fp, createLocalJWKSet(p.jwks)]));
const OUTCOME = { permit: 'disclosed', review: 'pending_review', deny: 'denied' } as Record<string, string>;

async function decide(req: IncomingMessage): Promise<{ status: number; decisions: string }> {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : '';
  };
  const fingerprint = header('x-client-fingerprint');
  const partner = fixture.partners[fingerprint];
  if (header('x-client-verify') !== 'SUCCESS' || partner === undefined) return { status: 401, decisions: '' };
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(
      header('authorization').replace(/^Bearer /, ''),
      jwks.get(fingerprint)!,
      {
        issuer: partner.id,
        audience: 'schakel',
        algorithms: ['ES256', 'EdDSA'],
      },
    ));
  } catch {
    return { status: 401, decisions: '' };
  }
  const cnf = claims.cnf as { 'x5t#S256'?: string } | undefined;
  if (cnf?.['x5t#S256'] !== partner.x5tS256) return { status: 401, decisions: '' };
  const caseRecord = fixture.cases[header('x-case')];
  const categories = header('x-categories').split(',');
  const now = Date.now();
  const decisions = await Promise.all(
    categories.map(async (category) => {
      const holderKind = fixture.categories[category] ?? '';
      const input = {
        now_ms: now,
        request_id: `shim-${now}`,
        requester: {
          partner_id: partner.id,
          kind: partner.kind,
          national: partner.national,
          role: claims.role,
          user: claims.sub,
        },
        holder: { partner_id: fixture.holders[holderKind] ?? '', kind: holderKind },
        subject: { pseudonym: fixture.subjectPseudonym },
        case: caseRecord ?? null,
        purpose: header('x-purpose'),
        category,
        justification: null,
        consents: [],
        review: null,
        dry_run: false,
      };
      const res = await opa.request({
        method: 'POST',
        path: '/v1/data/schakel/decision/result',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
      });
      const answer = (await res.body.json()) as { result?: { decision?: string } };
      return OUTCOME[answer.result?.decision ?? 'deny'] ?? 'denied';
    }),
  );
  return {
    status: decisions.every((d) => d === 'denied') ? 403 : 200,
    decisions: decisions.join(','),
  };
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.url === '/authz') {
    decide(req).then(
      ({ status, decisions }) => {
        res.writeHead(status, { 'x-decisions': decisions, 'content-length': '0' });
        res.end();
      },
      () => {
        res.writeHead(500, { 'content-length': '0' });
        res.end();
      },
    );
    return;
  }
  // The trivial upstream: drain the body, answer the decisions nginx passed on.
  req.resume();
  req.once('end', () => {
    const decisions = String(req.headers['x-decisions'] ?? '');
    const body = JSON.stringify({ items: decisions.split(',').map((outcome) => ({ outcome })) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void opa.close().then(() => process.exit(0));
});
