// SIMULATOR (test double): partner systems answering the canonical query over HTTPS with mutual TLS, from the fictitious demo data.
import { DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import { startMtlsTestServer } from './mtls-test-server.ts';

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
  const server = await startMtlsTestServer(tls, ({ req, body, client }, res) => {
    const [, holder = '', action = ''] = (req.url ?? '').split('/');
    let query: { category: string; subject: { bsn: string } };
    try {
      query = JSON.parse(body) as typeof query;
    } catch {
      res.writeHead(400).end();
      return;
    }
    queries.push({ holder, category: query.category, client });
    if (action === 'hang') return;
    const record = DEMO_DATA[query.subject.bsn]?.[query.category];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(record === undefined ? { status: 'not_found' } : { status: 'found', record }));
  });
  const port = server.port;
  return {
    port,
    queries,
    url: (holder, behaviour = 'answer') =>
      `https://127.0.0.1:${port}/${holder}/${behaviour === 'hang' ? 'hang' : 'query'}`,
    close: () => server.close(),
  };
}
