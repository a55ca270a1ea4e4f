// The identity guard: runs before every route, turns the client certificate (and user token) into c.var.identity.
import type { MiddlewareHandler } from 'hono';
import { certificateFacts, type CertificateFacts } from '../../keys/certificate-facts.ts';
import { SchakelError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import {
  CertExpiredError,
  CertNoIdentifierError,
  CertNotYetValidError,
  CertRequiredError,
  CertRevokedError,
  CertUntrustedError,
  CertWrongPurposeError,
  CsrfError,
  PartnerUnknownError,
  PersonAsSystemError,
  PersonUnknownError,
  SystemAsPersonError,
  TokenInvalidError,
  TrustUnavailableError,
} from './errors.ts';
import type { IdentityAudit } from './identity-audit.ts';
import type { CertificateIdentity, Identity, PartnerIdentity } from './identity.ts';
import type { GetPeerCertificate, PeerCertificate } from './peer-certificate.ts';
import type { PartnerRecord, Registry } from './registry.ts';
import type { TrustStore } from './trust-store.ts';
import { createTokenVerifier } from './user-token.ts';
import { maskBsnRuns } from '../bsn.ts';
import { loggablePath } from '../http/loggable-path.ts';

/** Who may call a path: partner systems, people on the pages, or both. */
export type Audience = 'system' | 'person' | 'any';

/**
 * The default split: `/ui` is for people; whoami, policy administration, indicators, the log, receipts
 * and the API description accept both; everything else is for partner systems.
 */
export function defaultAudience(path: string): Audience {
  if (path === '/ui' || path.startsWith('/ui/')) return 'person';
  // Browsers fetch the icon on their own, with whichever certificate they hold; it reveals nothing.
  if (path === '/favicon.ico') return 'any';
  // Auditors (people) read the log and receipts that partner systems read too.
  // Whole segments only: /v1/auditors or /docsx is for partner systems like every other path.
  if (
    /^\/(?:v1\/(?:whoami|policies|indicators|audit|receipts|breakglass)(?:\/|$)|(?:openapi\.json|docs)$|\.well-known\/)/.test(
      path,
    )
  )
    return 'any';
  return 'system';
}

export interface IdentityGuardOptions {
  /** Reads the client certificate; injected so unit tests need no socket (like hono's ipRestriction). */
  readonly getPeerCertificate: GetPeerCertificate;
  readonly registry: Pick<Registry, 'findPartner' | 'getPartner' | 'getPerson'>;
  readonly trust: Pick<TrustStore, 'isRevoked' | 'status'>;
  readonly audit: Pick<IdentityAudit, 'refused'>;
  readonly audienceOf?: (path: string) => Audience;
  readonly now?: () => Date;
}

/** Methods a browser may send across sites: they change nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a person's state-changing request that a browser sent from another site. A browser holding
 * a personal certificate presents it to whichever site makes it post here (a form on any site can),
 * so the fetch-metadata and Origin headers the browser adds are the only sign of who started it.
 * Partner systems are no browser and are not asked; a client that sends neither header is no
 * browser either (browsers send Origin on every cross-site POST).
 */
function checkSameSite(c: Parameters<MiddlewareHandler<AppEnv>>[0]): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new CsrfError('Requests from another site are refused for personal certificates.');
  }
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    throw new CsrfError('Requests from another origin are refused for personal certificates.');
  }
}

/** OpenSSL verification results and the refusal each one means. */
function fromTlsVerdict(peer: PeerCertificate): SchakelError | undefined {
  if (peer.authorized) return undefined;
  switch (peer.authorizationError) {
    case 'CERT_HAS_EXPIRED':
      return new CertExpiredError('The client certificate has expired.');
    case 'CERT_NOT_YET_VALID':
      return new CertNotYetValidError('The client certificate is not valid yet.');
    case 'CERT_REVOKED':
      return new CertRevokedError('The client certificate has been revoked.');
    case 'INVALID_PURPOSE':
      return new CertWrongPurposeError('The client certificate lacks the clientAuth extended key usage.');
    // Our own CRLs are checked by trust.status() first, so a missing CRL here belongs to a CA in
    // the client's chain that we do not trust (OpenSSL reports the CRL before the missing root).
    case 'CRL_HAS_EXPIRED':
    case 'CRL_NOT_YET_VALID':
      return new TrustUnavailableError('The broker cannot check revocation right now; try again later.');
    default:
      return new CertUntrustedError('The client certificate does not chain to a trusted CA.');
  }
}

function checkCertificate(facts: CertificateFacts, trust: IdentityGuardOptions['trust'], now: Date): void {
  if (facts.notAfter.getTime() < now.getTime())
    throw new CertExpiredError('The client certificate has expired.');
  if (facts.notBefore.getTime() > now.getTime()) {
    throw new CertNotYetValidError('The client certificate is not valid yet.');
  }
  if (trust.isRevoked(facts.issuer, facts.serial))
    throw new CertRevokedError('The client certificate has been revoked.');
  if (!facts.clientAuth) {
    throw new CertWrongPurposeError('The client certificate lacks the clientAuth extended key usage.');
  }
}

/** How many distinct certificates the guard keeps parsed. */
const PARSED_CERTIFICATES_MAX = 1024;

/**
 * certificateFacts memoised by the DER bytes. Parsing costs more than the rest of the guard together,
 * and a partner system presents the same certificate on every request. Only the parse is cached:
 * validity dates, revocation and the registry are checked on every request.
 */
function parsedCertificates(): (raw: Uint8Array) => CertificateFacts {
  const parsed = new Map<string, CertificateFacts>();
  return (raw) => {
    const key = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    let facts = parsed.get(key);
    if (facts === undefined) {
      facts = certificateFacts(raw);
      if (parsed.size >= PARSED_CERTIFICATES_MAX) parsed.delete(parsed.keys().next().value!);
      parsed.set(key, facts);
    }
    return facts;
  };
}

function partnerView(p: PartnerRecord): PartnerIdentity {
  return {
    id: p.id,
    kind: p.kind,
    identifierType: p.identifierType,
    identifier: p.identifier,
    unit: p.unit,
    organisation: p.organisation,
    national: p.national,
  };
}

/**
 * Refuses every request without a usable client certificate, with a code saying why, and sets
 * `c.var.identity` otherwise. Partner systems are found by (OIN or URA, unit); a Bearer user token
 * is verified against the partner's JWKS and the certificate. People are found by the UID in their
 * personal certificate. Refusals are logged and recorded in the audit log.
 *
 * @throws (as problem+json) ERR_CERT_REQUIRED, ERR_CERT_UNTRUSTED, ERR_CERT_EXPIRED,
 *   ERR_CERT_NOT_YET_VALID, ERR_CERT_REVOKED, ERR_CERT_WRONG_PURPOSE, ERR_CERT_NO_IDENTIFIER,
 *   ERR_PARTNER_UNKNOWN, ERR_PERSON_UNKNOWN, ERR_CERT_PERSON_AS_SYSTEM, ERR_CERT_SYSTEM_AS_PERSON,
 *   ERR_TRUST_UNAVAILABLE, ERR_TOKEN_INVALID, ERR_TOKEN_EXPIRED, ERR_TOKEN_BINDING, ERR_ROLE_NOT_ALLOWED,
 *   ERR_CSRF (a personal certificate's POST, PUT, PATCH or DELETE sent from another site or origin).
 * @example app.use(identityGuard({ getPeerCertificate: nodePeerCertificate, registry, trust, audit }))
 */
export function identityGuard(options: IdentityGuardOptions): MiddlewareHandler<AppEnv> {
  const audienceOf = options.audienceOf ?? defaultAudience;
  const clock = options.now ?? (() => new Date());
  const parse = parsedCertificates();
  // Remembers checked signatures only; expiry, binding and role are checked on every request.
  const verifyUserToken = createTokenVerifier();

  async function identify(c: Parameters<MiddlewareHandler<AppEnv>>[0], facts: { value?: CertificateFacts }) {
    const trustStatus = options.trust.status();
    if (!trustStatus.ok) {
      throw new TrustUnavailableError('The broker cannot check revocation right now; try again later.');
    }
    const peer = options.getPeerCertificate(c);
    if (peer === undefined) {
      throw new CertRequiredError('Present a client certificate issued to a registered partner.');
    }
    let parsed: CertificateFacts;
    try {
      parsed = parse(peer.raw);
    } catch {
      throw new CertUntrustedError('The client certificate could not be read.');
    }
    facts.value = parsed;
    const verdict = fromTlsVerdict(peer);
    if (verdict !== undefined) throw verdict;
    const now = clock();
    checkCertificate(parsed, options.trust, now);
    const certificate: CertificateIdentity = {
      serial: parsed.serial,
      issuer: parsed.issuer,
      x5tS256: parsed.x5tS256,
      notAfter: parsed.notAfter,
    };
    const audience = audienceOf(new URL(c.req.url).pathname);

    if (parsed.kind === 'person') {
      if (audience === 'system') {
        throw new PersonAsSystemError(
          "This path is for partner systems; use the partner's system certificate.",
        );
      }
      const person =
        parsed.personId === undefined ? undefined : await options.registry.getPerson(parsed.personId);
      if (person === undefined || person.partnerId !== parsed.unit || person.role !== parsed.role) {
        throw new PersonUnknownError('No registered person matches this personal certificate.');
      }
      const partner = await options.registry.getPartner(person.partnerId);
      if (partner === undefined) throw new PersonUnknownError("The person's partner is not registered.");
      // The pages (/ui) check the same and a form token besides, and answer with a page of their own.
      if (audience !== 'person') checkSameSite(c);
      const identity: Identity = {
        kind: 'person',
        partner: partnerView(partner),
        person: { id: person.id, name: person.name, role: person.role, partnerId: person.partnerId },
        certificate,
      };
      return identity;
    }

    if (audience === 'person') {
      throw new SystemAsPersonError('The pages are for people; sign in with a personal certificate.');
    }
    const key =
      parsed.oin !== undefined
        ? (['oin', parsed.oin] as const)
        : parsed.ura !== undefined
          ? (['ura', parsed.ura] as const)
          : undefined;
    if (key === undefined)
      throw new CertNoIdentifierError('The certificate names no OIN (serialNumber) or URA.');
    const partner = await options.registry.findPartner(key[0], key[1], parsed.unit);
    if (partner === undefined) {
      throw new PartnerUnknownError(
        `No partner is registered for ${key[0].toUpperCase()} ${key[1]}${parsed.unit === '' ? '' : ` unit ${parsed.unit}`}.`,
      );
    }
    const authorization = c.req.header('authorization');
    const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const identity: Identity = { kind: 'system', partner: partnerView(partner), certificate };
    if (bearer === undefined) {
      if (authorization !== undefined) {
        throw new TokenInvalidError('Send the user token as "Authorization: Bearer <jwt>".');
      }
      return identity;
    }
    const user = await verifyUserToken(bearer, { partner, x5tS256: parsed.x5tS256, now });
    return { ...identity, user };
  }

  return async function identityGuardMiddleware(c, next) {
    const facts: { value?: CertificateFacts } = {};
    let identity: Identity;
    try {
      identity = await identify(c, facts);
    } catch (error) {
      if (error instanceof SchakelError) {
        // A client may put a BSN in the path: logged masked, and the log's record stays valid.
        const path = loggablePath(new URL(c.req.url).pathname);
        c.var.log?.warn({ code: error.code, certSerial: facts.value?.serial, path }, 'identity refused');
        await options.audit.refused({
          code: error.code,
          method: c.req.method,
          path,
          requestId: c.var.requestId,
          certSerial: facts.value?.serial,
          // A self-made certificate's issuer is the client's choice: a BSN in it is masked.
          ...(facts.value?.issuer === undefined ? {} : { certIssuer: maskBsnRuns(facts.value.issuer) }),
        });
      }
      throw error;
    }
    c.set('identity', identity);
    await next();
  };
}
