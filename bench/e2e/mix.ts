// The request mix: cases opened through the API first, then information requests as partners would send them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { Agent, fetch } from 'undici';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { mintUserToken } from '../../broker/identity/user-token.ts';
import type { PolicyCase } from '../../broker/policy/types.ts';
import type { ClientTls, LoadRequest } from './load.ts';

/** The demo BSN the simulated sources hold records for (fictitious). */
export const BENCH_BSN = '111222333';

/** Who the mix speaks as; the index is the client index in LoadRequest. */
export const MIX_PARTNERS = [
  { partner: 'demo-politie', role: 'casusregisseur' },
  { partner: 'demo-ggz', role: 'behandelaar' },
  { partner: 'demo-om', role: 'officier' },
] as const;

/**
 * One kind of request in the mix, with its weight out of 20 and what the broker should answer.
 * The expected outcomes let the tally show at a glance that the broker decided as it should.
 */
export const MIX = [
  // Non-medical permits: police and OM data to the case lead, minimised, logged, with a receipt.
  {
    name: 'permit x2',
    weight: 10,
    client: 0,
    categories: ['politie.registraties', 'om.strafzaken'],
    expect: 'disclosed,disclosed',
  },
  // GGZ categories go to the behandelaar's review queue (beroepsgeheim).
  { name: 'review', weight: 4, client: 0, categories: ['ggz.bekend'], expect: 'pending_review' },
  // Denials: the GGZ may not obtain criminal records for a risk assessment (need-to-know).
  { name: 'denial', weight: 4, client: 1, categories: ['om.strafzaken'], expect: 'denied' },
  // Mixed: the OM asks a permitted police category and a medical one in one request.
  {
    name: 'permit + review',
    weight: 2,
    client: 2,
    categories: ['politie.wapenvergunning', 'ggz.zorgmaatregel'],
    expect: 'disclosed,pending_review',
  },
] as const;

/** One kind of request of the mix. */
export type MixKind = (typeof MIX)[number];

/**
 * `GET /v1/whoami` as the mix's partners, in turn: the broker's HTTP, mTLS, certificate registry,
 * user token and limits with no case, decision, log or database behind them. The floor under every
 * information request, measured on the same broker.
 */
export function whoamiRequests(tokens: readonly string[]): (i: number) => LoadRequest {
  return (i) => {
    const client = i % MIX_PARTNERS.length;
    return {
      method: 'GET',
      path: '/v1/whoami',
      client,
      headers: { authorization: `Bearer ${tokens[client]!}` },
    };
  };
}

/** Labels a whoami answer: a partner system with the user its token names, or an error. */
export function classifyWhoami(status: number, body: string): string {
  if (status !== 200) return `error: HTTP ${status}`;
  const { kind, user } = JSON.parse(body) as { kind?: unknown; user?: unknown };
  return kind === 'system' && user !== undefined ? 'system with user' : 'error: no user in the answer';
}

/** The client identities of the mix partners, from a dev PKI directory. */
export function mixClients(pkiDir: string): ClientTls[] {
  const ca = readFileSync(path.join(pkiDir, 'ca.pem'), 'utf8');
  return MIX_PARTNERS.map(({ partner }) => ({
    ca,
    cert: readFileSync(path.join(pkiDir, 'partners', partner, 'cert.pem'), 'utf8'),
    key: readFileSync(path.join(pkiDir, 'partners', partner, 'key.pem'), 'utf8'),
    servername: 'localhost',
  }));
}

/** User tokens for the mix partners, signed with their token keys and re-minted before they expire. */
export async function mixTokens(pkiDir: string): Promise<{ tokens: string[]; close(): void }> {
  const mint = () =>
    Promise.all(
      MIX_PARTNERS.map(({ partner, role }) => {
        const dir = path.join(pkiDir, 'partners', partner);
        return mintUserToken({
          partnerId: partner,
          user: `bench-${partner}`,
          role,
          key: JSON.parse(readFileSync(path.join(dir, 'token-key.jwk'), 'utf8')) as JWK,
          x5tS256: certificateFacts(readFileSync(path.join(dir, 'cert.pem'), 'utf8')).x5tS256,
          ttlSeconds: 600,
        });
      }),
    );
  const tokens = await mint();
  // Partner systems reuse a token for its lifetime; refresh well before the 10 minutes run out.
  const timer = setInterval(() => {
    mint().then(
      (fresh) => tokens.splice(0, tokens.length, ...fresh),
      (error: unknown) => console.error('could not re-mint tokens', error),
    );
  }, 240_000);
  timer.unref();
  return { tokens, close: () => clearInterval(timer) };
}

interface CaseView {
  readonly id: string;
  readonly status: 'open' | 'closed';
  readonly phase: PolicyCase['phase'];
  readonly members: readonly { partner: string; role: string }[];
}

/**
 * Opens `count` cases as the national team's casusregisseur through the API, adds the GGZ and OM as
 * members and records the inclusion decision, so the requests run in real cases. Returns the cases
 * as the policy sees them (for the alternative stack, which has no case store).
 */
export async function openCases(
  origin: string,
  pkiDir: string,
  tokens: readonly string[],
  count: number,
  subjectPseudonym: string,
): Promise<Record<string, PolicyCase>> {
  const clients = mixClients(pkiDir);
  const agent = new Agent({ connect: clients[0]! });
  const call = async (url: string, body?: unknown) => {
    const res = await fetch(`${origin}${url}`, {
      method: body === undefined ? 'GET' : 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${tokens[0]!}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== (body === undefined ? 200 : 201)) throw new Error(`${url}: ${res.status} ${text}`);
    return JSON.parse(text) as CaseView;
  };
  const cases: Record<string, PolicyCase> = {};
  try {
    for (let i = 0; i < count; i++) {
      const { id } = await call('/v1/cases', {
        subject: { bsn: BENCH_BSN },
        melding: {
          bron: 'demo-politie',
          eenheid: 'LT',
          regio: 'Midden-Nederland',
          kanaal: 'rik',
          bedreigdeCategorie: 'minister_president',
          dreigerType: 'gefixeerd',
        },
      });
      await call(`/v1/cases/${id}/members`, { partner: 'demo-ggz', role: 'behandelaar' });
      await call(`/v1/cases/${id}/members`, { partner: 'demo-om', role: 'officier' });
      await call(`/v1/cases/${id}/events`, { type: 'inclusiebesluit', data: { besluit: 'in' } });
      const view = await call(`/v1/cases/${id}`);
      cases[id] = {
        id,
        status: view.status,
        phase: view.phase,
        subject_pseudonym: subjectPseudonym,
        lead_partner: MIX_PARTNERS[0].partner,
        emergency: false,
        members: view.members.map((m) => ({ partner_id: m.partner, role: m.role })),
      };
    }
  } finally {
    await agent.close();
  }
  return cases;
}

/**
 * The i-th request of the mix over the given cases: weighted round robin, cases in turn. With
 * `factsInHeaders` the case, purpose and categories are repeated in headers, because nginx's
 * auth_request cannot show the body to the decision point.
 */
export function mixRequests(
  caseIds: readonly string[],
  tokens: readonly string[],
  options: { factsInHeaders?: boolean; kinds?: readonly MixKind[] } = {},
): (i: number) => LoadRequest {
  const slots = (options.kinds ?? MIX).flatMap((kind) => Array.from({ length: kind.weight }, () => kind));
  return (i) => {
    const kind = slots[i % slots.length]!;
    const caseId = caseIds[Math.floor(i / slots.length) % caseIds.length]!;
    return {
      method: 'POST',
      path: '/v1/requests',
      client: kind.client,
      headers: {
        authorization: `Bearer ${tokens[kind.client]!}`,
        'content-type': 'application/json',
        ...(options.factsInHeaders === true
          ? { 'x-case': caseId, 'x-purpose': 'risicotaxatie', 'x-categories': kind.categories.join(',') }
          : {}),
      },
      body: JSON.stringify({
        caseId,
        subject: { bsn: BENCH_BSN },
        purpose: 'risicotaxatie',
        categories: kind.categories,
      }),
    };
  };
}

/** Labels a broker answer by its items' outcomes (sorted), or as an error with the problem code. */
export function classifySchakel(status: number, body: string): string {
  if (status !== 200) {
    let code = '';
    try {
      code = (JSON.parse(body) as { code?: string }).code ?? '';
    } catch {
      // not JSON
    }
    return `error: HTTP ${status} ${code}`.trim();
  }
  const { items } = JSON.parse(body) as { items: { outcome: string }[] };
  return items
    .map((item) => item.outcome)
    .sort()
    .join(',');
}

/** Labels an answer of the nginx + OPA stack like the broker's: 403 is a request denied in full. */
export function classifyAltStack(status: number, body: string): string {
  if (status === 403) return 'denied';
  if (status !== 200) return `error: HTTP ${status}`;
  return classifySchakel(status, body);
}

/** Labels an answer of the bare endpoint: it decides nothing. */
export function classifyBare(status: number): string {
  return status === 200 ? 'answered (no decision)' : `error: HTTP ${status}`;
}
