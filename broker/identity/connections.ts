// Tracks open TLS connections by client certificate, so a revocation or new trust material can close keep-alive sockets.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Server } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../http/problem.ts';
import { ConnectionRetiredError } from './errors.ts';

/** The open connections of a server, keyed by the certificate they presented. */
export interface ConnectionTracker {
  /** Destroys every open connection whose certificate matches; returns how many. */
  closeWhere(match: (issuer: string, serial: string) => boolean): number;
  /**
   * Closes every connection accepted before this call: an idle one at once, a busy one as soon as
   * the requests it carries are answered (their answers say `Connection: close`), one still in its
   * handshake when that ends; a request that arrives on a retired connection does not run: it is
   * answered 503 ERR_CONNECTION_RETIRED with `Connection: close`. Call it right after
   * `setSecureContext`, so that what it spares used the new context. Returns how many open
   * connections it retired.
   */
  retireAll(): number;
  readonly size: number;
}

interface Tracked {
  readonly issuer: string;
  readonly serial: string;
  /** Responses not yet finished, so a retired connection can close after them. */
  readonly inFlight: Set<ServerResponse>;
  retired: boolean;
}

const addressOf = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;

/**
 * Follows a TLS server's connections. `setSecureContext` only affects new handshakes, so the
 * revocation watcher uses this to cut connections that are already open. A connection that
 * completes a second handshake is destroyed. On an HTTP(S) server it also follows each
 * connection's requests in flight, so that retiring it lets them finish, and it stands in front of
 * the server's request listeners (attach them before calling this): a request on a retired
 * connection never reaches them.
 */
export function trackConnections(server: Server): ConnectionTracker {
  const open = new Map<TLSSocket, Tracked>();
  // Which retirement round each connection was accepted in: its TLS socket gets the server's
  // context of that moment, so a handshake that ends after a reload was still checked by the old one.
  let round = 0;
  const acceptedIn = new Map<string, number>();
  server.on('connection', (raw: Socket) => {
    const address = addressOf(raw);
    acceptedIn.set(address, round);
    raw.once('close', () => acceptedIn.delete(address));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    if ((acceptedIn.get(addressOf(socket)) ?? round) < round) {
      socket.destroy();
      return;
    }
    // A second handshake on one connection is a renegotiation (the server's options refuse it):
    // it could carry another certificate than the one checked, so the connection ends.
    socket.on('secure', () => socket.destroy());
    const raw = socket.getPeerCertificate().raw as Uint8Array | undefined;
    if (raw === undefined || raw.length === 0) return;
    try {
      const facts = certificateFacts(raw);
      open.set(socket, { issuer: facts.issuer, serial: facts.serial, inFlight: new Set(), retired: false });
      socket.once('close', () => open.delete(socket));
    } catch {
      // An unparsable certificate is refused by the guard on the first request.
    }
  });
  // In front of the app: a request that arrives on a retired connection must not run its route
  // (its answer would go to a connection being closed, and its change would be made unanswered).
  const app = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as TLSSocket;
    const tracked = open.get(socket);
    if (tracked?.retired === true) {
      response.shouldKeepAlive = false;
      response.writeHead(503, {
        'content-type': PROBLEM_CONTENT_TYPE,
        'retry-after': '0',
        'cache-control': 'no-store',
      });
      response.end(
        JSON.stringify(toProblem(new ConnectionRetiredError('The trust material changed; connect again.'))),
      );
      return;
    }
    if (tracked !== undefined) {
      tracked.inFlight.add(response);
      response.once('close', () => {
        tracked.inFlight.delete(response);
        if (tracked.retired && tracked.inFlight.size === 0) socket.end();
      });
    }
    for (const listener of app) listener.call(server, request, response);
  });
  return {
    closeWhere(match) {
      let closed = 0;
      for (const [socket, cert] of open) {
        if (match(cert.issuer, cert.serial)) {
          socket.destroy();
          open.delete(socket);
          closed++;
        }
      }
      return closed;
    },
    retireAll() {
      round++;
      let retired = 0;
      for (const [socket, tracked] of open) {
        if (tracked.retired) continue;
        tracked.retired = true;
        retired++;
        if (tracked.inFlight.size === 0) {
          socket.destroy();
          continue;
        }
        // Answered with `Connection: close` where the headers are not out yet, so the client does
        // not send its next request on this connection.
        for (const response of tracked.inFlight) {
          if (!response.headersSent) response.shouldKeepAlive = false;
        }
      }
      return retired;
    },
    get size() {
      return open.size;
    },
  };
}
