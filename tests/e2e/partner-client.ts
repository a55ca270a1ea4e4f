// Partner systems and people talking to a running `schakel serve` over mutual TLS, with user tokens minted as a partner would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { Agent, fetch } from 'undici';
import { mintUserToken } from '../../broker/identity/user-token.ts';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { issuedFiles } from '../../keys/issue.ts';

/** A response as the tests read it. */
export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Record<string, unknown> & { code?: string };
  readonly raw: string;
}

/** One user of a partner system (or one signed-in person) making calls. */
export interface Session {
  get(url: string): Promise<Answer>;
  post(url: string, body?: unknown): Promise<Answer>;
  delete(url: string): Promise<Answer>;
}

export interface PartnerClients {
  /** A user of a demo partner's system acting in `role`. */
  as(partner: string, role: string, user?: string): Session;
  /** A person with a personal certificate from the dev PKI (privacy officer, auditor, ...). */
  person(id: string): Session;
  close(): Promise<void>;
}

/**
 * Clients for the demo partners of the dev PKI in `pkiDir`, against the broker at `port`. Tokens are
 * minted in process with the partner's token key (what `schakel pki token` does, without a process per call).
 *
 * @example const clients = partnerClients(`${cwd}/var/pki`, broker.port); await clients.as('demo-politie', 'casusregisseur').get('/v1/whoami');
 */
export function partnerClients(pkiDir: string, port: number): PartnerClients {
  const agents = new Map<string, Agent>();
  const ca = readFileSync(path.join(pkiDir, 'ca.pem'), 'utf8');
  const agentFor = (dir: string): Agent => {
    let agent = agents.get(dir);
    if (agent === undefined) {
      agent = new Agent({
        connect: {
          ca,
          cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
          key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
          servername: 'localhost',
        },
      });
      agents.set(dir, agent);
    }
    return agent;
  };

  const session = (dir: string, token: () => Promise<string | undefined>): Session => {
    const send = async (method: string, url: string, body?: unknown): Promise<Answer> => {
      const bearer = await token();
      const res = await fetch(`https://127.0.0.1:${port}${url}`, {
        method,
        dispatcher: agentFor(dir),
        headers: {
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const raw = await res.text();
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: raw === '' ? {} : (JSON.parse(raw) as Answer['body']),
        raw,
      };
    };
    return {
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      delete: (url) => send('DELETE', url),
    };
  };

  return {
    as(partner, role, user = `${partner}-${role}`) {
      const dir = path.join(pkiDir, 'partners', partner);
      const files = issuedFiles(dir);
      return session(dir, () =>
        mintUserToken({
          partnerId: partner,
          user,
          role,
          key: JSON.parse(readFileSync(files.tokenKey, 'utf8')) as JWK,
          x5tS256: certificateFacts(readFileSync(files.cert, 'utf8')).x5tS256,
        }),
      );
    },
    person(id) {
      return session(path.join(pkiDir, 'people', id), () => Promise.resolve(undefined));
    },
    async close() {
      for (const agent of agents.values()) await agent.close();
    },
  };
}
