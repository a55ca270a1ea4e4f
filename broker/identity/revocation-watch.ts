// Applies reloaded trust anchors and CRLs to a running partner server: new handshakes and open connections alike.
import type { Server } from 'node:tls';
import type { Logger } from 'pino';
import { secureContextOptions } from '../http/servers.ts';
import type { ConnectionTracker } from './connections.ts';
import type { TrustStore } from './trust-store.ts';

export interface RevocationWatchOptions {
  readonly server: Server;
  readonly trust: TrustStore;
  readonly tracker: ConnectionTracker;
  /** The server's own certificate and key (setSecureContext replaces the whole context). */
  readonly serverCredentials: { readonly cert: string; readonly key: string };
  readonly logger: Logger;
  /** Polling interval; keep it at or below 500 ms so a revocation lands within a second. */
  readonly intervalMs: number;
  /** Called after each applied reload (e.g. to forward PKI ledger events to the log). */
  readonly onReload?: () => void;
}

/** Puts the trust store's current material into the server and cuts connections of revoked certificates. */
export function applyTrust(o: Omit<RevocationWatchOptions, 'intervalMs'>): number {
  const material = o.trust.material();
  o.server.setSecureContext(
    secureContextOptions({ ...o.serverCredentials, ca: material.ca, crl: material.crl }),
  );
  return o.tracker.closeWhere((issuer, serial) => o.trust.isRevoked(issuer, serial));
}

/**
 * Watches the trust files; on a change reloads the TLS context (new handshakes see the new CRL)
 * and destroys open keep-alive connections whose certificate is now revoked. The guard's
 * per-request revocation check covers requests already in flight.
 */
export function watchRevocations(o: RevocationWatchOptions): void {
  o.trust.watch(
    o.intervalMs,
    () => {
      const closed = applyTrust(o);
      const status = o.trust.status();
      o.logger.info({ closedConnections: closed, trustOk: status.ok }, 'reloaded trust anchors and CRLs');
      if (!status.ok)
        o.logger.error({ problems: status.problems }, 'trust material unusable: refusing every caller');
      o.onReload?.();
    },
    (error) =>
      o.logger.error({ err: error }, 'could not reload trust anchors or CRLs; keeping the previous ones'),
  );
}
