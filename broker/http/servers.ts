// Starts the partner port (HTTPS, client certificates requested) and the ops port (plain HTTP), and drains them.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server as HttpServer } from 'node:http';
import { constants as cryptoConstants } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Trust anchors for client certificates (PEM, one or more). */
  readonly ca: string | readonly string[];
  readonly crl?: readonly string[];
}

/** Slow-client limits; a connection that does not keep up is closed. */
export interface TimeoutOptions {
  /** The TLS handshake and then the request headers must arrive within this (default 10 s). */
  readonly headersTimeoutMs?: number;
  /** The whole request must arrive within this (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this (default 5 s). */
  readonly keepAliveTimeoutMs?: number;
}

export interface StartOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMaterial;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly app: Hono<any>;
  readonly timeouts?: TimeoutOptions;
}

/** TLS 1.2 minimum with forward-secret AEAD suites only; TLS 1.3 suites are all forward secret. */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/**
 * The partner port's TLS settings; also what `server.setSecureContext()` gets when trust anchors
 * or CRLs are reloaded (it replaces the whole context, so every setting must be passed again).
 * Renegotiation is off: in a TLS 1.2 renegotiation a client may present another certificate, and
 * Node keeps `socket.authorized` from the first handshake.
 */
export function secureContextOptions(tls: TlsMaterial): SecureContextOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ca: typeof tls.ca === 'string' ? tls.ca : [...tls.ca],
    ...(tls.crl !== undefined && tls.crl.length > 0 ? { crl: [...tls.crl] } : {}),
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    ecdhCurve: 'X25519:P-256:P-384',
    secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
  };
}

/**
 * Starts the partner API over HTTPS. Client certificates are requested but not enforced by TLS
 * (`rejectUnauthorized: false`): the identity guard refuses with a problem+json that says why,
 * which a TLS alert cannot (TLS 1.3 clients would only see a reset).
 */
export async function startPartnerServer(options: StartOptions): Promise<HttpsServer> {
  const headersTimeout = options.timeouts?.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.timeouts?.requestTimeoutMs ?? 30_000;
  const server = serve({
    fetch: options.app.fetch,
    hostname: options.host,
    port: options.port,
    createServer: createHttpsServer,
    serverOptions: {
      ...secureContextOptions(options.tls),
      requestCert: true,
      rejectUnauthorized: false,
      // A client that opens a connection and never finishes the handshake (the default waits 120 s).
      handshakeTimeout: headersTimeout,
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.timeouts?.keepAliveTimeoutMs ?? 5_000,
      // Node checks the two timeouts above only this often (default 30 s): slow clients would
      // otherwise hold a connection for up to 30 s past their deadline.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeout / 4)),
    },
  }) as unknown as HttpsServer;
  await listening(server);
  return server;
}

/** Starts the ops app on plain HTTP. */
export async function startOpsServer(options: {
  host: string;
  port: number;
  app: { fetch: (request: Request) => Response | Promise<Response> };
}): Promise<HttpServer> {
  const server = serve({
    fetch: options.app.fetch,
    hostname: options.host,
    port: options.port,
  }) as unknown as HttpServer;
  await listening(server);
  return server;
}

function listening(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve);
    server.once('error', reject);
  });
}

/** The port a server actually listens on (for port 0 in tests). */
export function portOf(server: HttpServer | HttpsServer): number {
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then cuts
 * whatever remains.
 */
export async function drain(server: HttpServer | HttpsServer, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
