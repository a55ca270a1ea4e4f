// Tracks open TLS connections by client certificate, so a revocation can close keep-alive sockets at once.
import type { Server } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { certificateFacts } from '../../keys/certificate-facts.ts';

/** The open connections of a server, keyed by the certificate they presented. */
export interface ConnectionTracker {
  /** Destroys every open connection whose certificate matches; returns how many. */
  closeWhere(match: (issuer: string, serial: string) => boolean): number;
  readonly size: number;
}

/**
 * Follows a TLS server's connections. `setSecureContext` only affects new handshakes, so the
 * revocation watcher uses this to cut connections that are already open. A connection that
 * completes a second handshake is destroyed.
 */
export function trackConnections(server: Server): ConnectionTracker {
  const open = new Map<TLSSocket, { issuer: string; serial: string }>();
  server.on('secureConnection', (socket: TLSSocket) => {
    // A second handshake on one connection is a renegotiation (the server's options refuse it):
    // it could carry another certificate than the one checked, so the connection ends.
    socket.on('secure', () => socket.destroy());
    const raw = socket.getPeerCertificate().raw as Uint8Array | undefined;
    if (raw === undefined || raw.length === 0) return;
    try {
      const facts = certificateFacts(raw);
      open.set(socket, { issuer: facts.issuer, serial: facts.serial });
      socket.once('close', () => open.delete(socket));
    } catch {
      // An unparsable certificate is refused by the guard on the first request.
    }
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
    get size() {
      return open.size;
    },
  };
}
