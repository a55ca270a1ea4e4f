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

/** What the open connections were checked against: trust anchors (PEM) and revocation keys. */
export interface CheckedTrust {
  readonly ca: readonly string[];
  readonly revoked: ReadonlySet<string>;
}

/** The trust store's current anchors and revocations. */
export function checkedTrust(trust: Pick<TrustStore, 'material' | 'revocations'>): CheckedTrust {
  return { ca: trust.material().ca, revoked: trust.revocations() };
}

/**
 * Whether trust was narrowed from `before` to `after`: a trust anchor removed or replaced, or
 * anything newly revoked (an issuing CA perhaps, which the guard's per-request check of the leaf
 * does not see). A CRL re-signed with the same entries, or a CA added, narrows nothing.
 */
export function trustNarrowed(before: CheckedTrust, after: CheckedTrust): boolean {
  const anchors = new Set(after.ca);
  return (
    before.ca.some((pem) => !anchors.has(pem)) || [...after.revoked].some((key) => !before.revoked.has(key))
  );
}

/**
 * Puts the trust store's current material into the server and cuts connections of revoked
 * certificates at once. When trust was narrowed since `before` (what the open connections were
 * checked against), every other open connection is retired too: its TLS verdict may rest on a CA
 * that is no longer trusted; clients reconnect and get a fresh handshake. Returns how many
 * connections were closed or retired.
 */
export function applyTrust(o: Omit<RevocationWatchOptions, 'intervalMs'>, before: CheckedTrust): number {
  const material = o.trust.material();
  o.server.setSecureContext(
    secureContextOptions({ ...o.serverCredentials, ca: material.ca, crl: material.crl }),
  );
  const revoked = o.tracker.closeWhere((issuer, serial) => o.trust.isRevoked(issuer, serial));
  return trustNarrowed(before, checkedTrust(o.trust)) ? revoked + o.tracker.retireAll() : revoked;
}

/**
 * Watches the trust files; on a change reloads the TLS context (new handshakes see the new CRL),
 * destroys open connections whose certificate is now revoked and, when trust was narrowed, closes
 * the others once their requests in flight are answered. The guard's per-request revocation check
 * covers requests already in flight.
 */
export function watchRevocations(o: RevocationWatchOptions): void {
  // The server was started on the store's material as it is now.
  let checked = checkedTrust(o.trust);
  o.trust.watch(
    o.intervalMs,
    () => {
      const closed = applyTrust(o, checked);
      checked = checkedTrust(o.trust);
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
