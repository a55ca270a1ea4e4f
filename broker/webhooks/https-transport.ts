// The HTTPS transport for review webhooks: the broker's client certificate (as for partner sources), no redirects.
import { Agent, fetch } from 'undici';

/** Sends one notice; resolves with the HTTP status, rejects on a network or TLS failure or the timeout. */
export type WebhookTransport = (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
) => Promise<number>;

export interface HttpsTransportOptions {
  /** The broker's client certificate chain and key (PEM), SCHAKEL_ADAPTER_CLIENT_CERT_FILE/KEY_FILE. */
  readonly cert: string;
  readonly key: string;
  /** CAs the receiver's server certificate must chain to; undefined: the system CAs. */
  readonly ca?: string;
}

/**
 * An undici agent with the broker's client certificate, TLS 1.2 or newer; redirects are not
 * followed (a 3xx counts as a failed attempt), the answer's body is discarded.
 *
 * @example const https = createHttpsTransport({ cert, key }); await https.send(url, jws, headers, AbortSignal.timeout(10_000));
 */
export function createHttpsTransport(options: HttpsTransportOptions): {
  send: WebhookTransport;
  close(): Promise<void>;
} {
  const dispatcher = new Agent({
    connect: {
      cert: options.cert,
      key: options.key,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      minVersion: 'TLSv1.2',
      // Pinned: NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment must not turn off the check.
      rejectUnauthorized: true,
    },
  });
  return {
    async send(url, body, headers, signal) {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { ...headers },
        signal,
        dispatcher,
        redirect: 'manual',
      });
      await res.body?.cancel();
      return res.status;
    },
    close: () => dispatcher.close(),
  };
}
