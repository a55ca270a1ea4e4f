// SIMULATOR (test double): partner systems answering the canonical query over HTTPS with mutual TLS, from the fictitious demo data.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { DEMO_DATA } from '../../adapters/reference/demo-data.ts';

/** One query a simulated partner received. */
export interface SimulatedQuery {
  readonly holder: string;
  readonly category: string;
  /** The subject CN of the client certificate the broker presented. */
  readonly client: string;
}

export interface PartnerSimulator {
  readonly port: number;
  /** Every query answered or held, in arrival order. */
  readonly queries: SimulatedQuery[];
  /** The URL of a holder's query endpoint; `hang` makes that holder never answer. */
  url(holder: string, behaviour?: 'answer' | 'hang'): string;
  close(): Promise<void>;
}

/**
 * Starts one HTTPS server playing every holder's system: `POST /{holder}/query` answers
 * `{"status":"found","record"}` from DEMO_DATA or `{"status":"not_found"}`; `POST /{holder}/hang`
 * never answers. Client certificates are required and must chain to `ca`.
 */
export async function startPartnerSimulator(tls: {
  cert: string;
  key: string;
  ca: string;
}): Promise<PartnerSimulator> {
  const queries: SimulatedQuery[] = [];
  const server: Server = createServer(
    { ...tls, requestCert: true, rejectUnauthorized: true },
    (req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const [, holder = '', action = ''] = (req.url ?? '').split('/');
        let query: { category: string; subject: { bsn: string } };
        try {
          query = JSON.parse(raw) as typeof query;
        } catch {
          res.writeHead(400).end();
          return;
        }
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        queries.push({ holder, category: query.category, client: String(peer.subject?.CN ?? '') });
        if (action === 'hang') return;
        const record = DEMO_DATA[query.subject.bsn]?.[query.category];
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(record === undefined ? { status: 'not_found' } : { status: 'found', record }));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    queries,
    url: (holder, behaviour = 'answer') =>
      `https://127.0.0.1:${port}/${holder}/${behaviour === 'hang' ? 'hang' : 'query'}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
