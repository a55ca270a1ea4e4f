// Reads the client certificate of a request's TLS socket: the default getPeerCertificate the guard is given.
import type { TLSSocket } from 'node:tls';
import type { Context } from 'hono';

/** What the guard needs of the presented certificate. */
export interface PeerCertificate {
  /** The DER leaf certificate. */
  readonly raw: Uint8Array;
  /** TLS verified the chain against the trust anchors and CRLs. */
  readonly authorized: boolean;
  /** OpenSSL's reason when not authorized, e.g. CERT_HAS_EXPIRED, CERT_REVOKED, INVALID_PURPOSE. */
  readonly authorizationError?: string | undefined;
}

/** Finds the client certificate of a request; undefined when none was presented. */
export type GetPeerCertificate = (c: Context) => PeerCertificate | undefined;

/** The TLS socket behind a request on @hono/node-server, or undefined (app.request() in tests). */
export function tlsSocketOf(c: Context): TLSSocket | undefined {
  const env = c.env as { incoming?: { socket?: unknown } } | undefined;
  const socket = env?.incoming?.socket as TLSSocket | undefined;
  return typeof socket?.getPeerCertificate === 'function' ? socket : undefined;
}

/**
 * Reads the peer certificate from Node's TLS socket (`requestCert: true, rejectUnauthorized: false`).
 *
 * @example identityGuard({ getPeerCertificate: nodePeerCertificate, ... })
 */
export const nodePeerCertificate: GetPeerCertificate = (c) => {
  const socket = tlsSocketOf(c);
  if (socket === undefined) return undefined;
  // Only the DER is needed (the guard parses and memoises it): getPeerCertificate() would build the
  // whole description, three fingerprints included, on every request.
  const raw = socket.getPeerX509Certificate()?.raw;
  if (raw === undefined || raw.length === 0) return undefined;
  const reason = socket.authorizationError as unknown;
  const error =
    typeof reason === 'string' ? reason : ((reason as { code?: string } | null)?.code ?? undefined);
  // Node sets `authorized` once, after the first handshake, and never resets it; a later handshake
  // (a TLS 1.2 renegotiation, refused by the server's options) sets only `authorizationError`, while
  // getPeerX509Certificate() already returns the new certificate. Both must agree.
  return { raw, authorized: socket.authorized && error === undefined, authorizationError: error };
};
