// The HTTPS server shell the partner simulators share: mutual TLS required, the whole body read, the client's CN named.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** A request as a simulator handles it: the body read whole and the client certificate's subject CN. */
export interface MtlsRequest {
  readonly req: IncomingMessage;
  readonly body: string;
  readonly client: string;
}

export interface MtlsTestServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 (a free port) that requires a client certificate chaining
 * to `tls.ca` and hands each request, once its body is read, to `handle`.
 *
 * @example const server = await startMtlsTestServer(tls, ({ body }, res) => res.end(body));
 */
export async function startMtlsTestServer(
  tls: { cert: string; key: string; ca: string },
  handle: (request: MtlsRequest, res: ServerResponse) => void,
): Promise<MtlsTestServer> {
  const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      handle({ req, body, client: String(peer.subject?.CN ?? '') }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
