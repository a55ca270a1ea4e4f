// Trust anchors and CRLs as configuration: loads CA and CRL files, watches them, and knows what is revoked or expired.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { certificateFacts, revocationKey } from '../../keys/certificate-facts.ts';
import { readCrl, splitPem, type CrlFacts } from '../../keys/crl.ts';

export interface TrustStoreOptions {
  /** PEM files holding the CA certificates client certificates must chain to. */
  readonly caFiles: readonly string[];
  /** PEM files holding one or more CRLs (label `X509 CRL`); one per CA level is needed. */
  readonly crlFiles: readonly string[];
  readonly now?: () => Date;
}

/** The trust material as Node's TLS wants it. */
export interface TrustMaterial {
  readonly ca: readonly string[];
  readonly crl: readonly string[];
}

/** Whether the trust material may be relied on now, and if not, why. */
export interface TrustStatus {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export interface TrustStore {
  material(): TrustMaterial;
  isRevoked(issuer: string, serial: string): boolean;
  /** Every revoked certificate, as `revocationKey(issuer, serial)`. */
  revocations(): ReadonlySet<string>;
  /** Not ok when a CRL has passed its nextUpdate or a CA has no CRL while CRLs are in use. */
  status(): TrustStatus;
  /** Re-reads every file; returns true when anything changed. @throws Error when a file is unreadable. */
  reload(): boolean;
  /** Polls the CRL and CA files every `intervalMs` and calls `onChange` after a successful reload. */
  watch(intervalMs: number, onChange: () => void, onError: (error: unknown) => void): void;
  close(): void;
}

interface Loaded {
  readonly text: string;
  readonly material: TrustMaterial;
  readonly crls: readonly CrlFacts[];
  readonly caSubjects: readonly string[];
  readonly revoked: ReadonlySet<string>;
}

function load(options: TrustStoreOptions): Loaded {
  const caText = options.caFiles.map((f) => readFileSync(f, 'utf8'));
  const crlText = options.crlFiles.map((f) => readFileSync(f, 'utf8'));
  const ca = caText.flatMap(splitPem);
  // Several CRLs in one buffer read as one: keep them apart.
  const crl = crlText.flatMap(splitPem);
  const crls = crl.map((pem) => readCrl(pem));
  const revoked = new Set(crls.flatMap((c) => c.revoked.map((serial) => revocationKey(c.issuer, serial))));
  return {
    text: [...caText, ...crlText].join('\u0000'),
    material: { ca, crl },
    crls,
    caSubjects: ca.map((pem) => certificateFacts(pem).subject),
    revoked,
  };
}

/**
 * Creates a trust store from CA and CRL files.
 *
 * @throws Error naming the file when a CA or CRL cannot be read or parsed.
 * @example const trust = createTrustStore({ caFiles: ['./var/pki/ca.pem'], crlFiles: ['./var/pki/crl/root-ca.pem', './var/pki/crl/issuing-ca.pem'] });
 */
export function createTrustStore(options: TrustStoreOptions): TrustStore {
  const now = options.now ?? (() => new Date());
  let loaded = load(options);
  const watched: string[] = [];
  return {
    material: () => loaded.material,
    isRevoked: (issuer, serial) => loaded.revoked.has(revocationKey(issuer, serial)),
    revocations: () => loaded.revoked,
    status() {
      const problems: string[] = [];
      const at = now();
      for (const crl of loaded.crls) {
        if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() <= at.getTime()) {
          problems.push(`the CRL of ${crl.issuer} expired at ${crl.nextUpdate.toISOString()}`);
        }
      }
      if (loaded.crls.length > 0) {
        for (const subject of loaded.caSubjects) {
          if (!loaded.crls.some((c) => c.issuer === subject)) problems.push(`no CRL for ${subject}`);
        }
      }
      return { ok: problems.length === 0, problems };
    },
    reload() {
      const next = load(options);
      const changed = next.text !== loaded.text;
      loaded = next;
      return changed;
    },
    watch(intervalMs, onChange, onError) {
      const check = () => {
        try {
          if (this.reload()) onChange();
        } catch (error) {
          // A half-replaced file or a bad CRL keeps the last good material; the status still expires it.
          onError(error);
        }
      };
      for (const file of [...options.crlFiles, ...options.caFiles]) {
        watchFile(file, { interval: intervalMs, persistent: false }, check);
        watched.push(file);
      }
    },
    close() {
      for (const file of watched.splice(0)) unwatchFile(file);
    },
  };
}
