// The PKI ledger: one JSON line per issued or revoked certificate, read by `pki list`, the CRLs and the audit forwarder.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normaliseSerial } from './certificate-facts.ts';

/** Which CA signed a certificate. */
export type CaLevel = 'root' | 'issuing';

/** A certificate was issued. */
export interface IssuedEntry {
  readonly event: 'issued';
  readonly at: string;
  readonly serial: string;
  readonly ca: CaLevel;
  readonly kind: 'ca' | 'server' | 'system' | 'person';
  readonly subject: string;
  readonly notAfter: string;
  readonly partner?: string;
  readonly person?: string;
  readonly role?: string;
}

/** A certificate was revoked. */
export interface RevokedEntry {
  readonly event: 'revoked';
  readonly at: string;
  readonly serial: string;
  readonly ca: CaLevel;
  readonly reason: string;
}

export type LedgerEntry = IssuedEntry | RevokedEntry;

/** The ledger file of a PKI directory. */
export function ledgerFile(dir: string): string {
  return path.join(dir, 'ledger.jsonl');
}

/** Appends one entry (a single write, so concurrent readers see whole lines). */
export function appendLedger(dir: string, entry: LedgerEntry): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const normalised = { ...entry, serial: normaliseSerial(entry.serial) };
  appendFileSync(ledgerFile(dir), `${JSON.stringify(normalised)}\n`, { mode: 0o600 });
}

/** Reads every complete entry, oldest first. */
export function readLedger(dir: string): LedgerEntry[] {
  const file = ledgerFile(dir);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return (
    complete
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LedgerEntry)
      // Serials are compared in one form (lower case, no leading zeros): x509 prints a serial whose
      // first byte is below 0x10 with a leading zero, a CRL or an operator may not.
      .map((entry) => ({ ...entry, serial: normaliseSerial(entry.serial) }))
  );
}

/** One certificate with its current state, as `pki list` shows it. */
export interface CertificateRecord extends IssuedEntry {
  readonly revokedAt: string | undefined;
}

/** Folds the ledger into one record per certificate. */
export function certificateRecords(entries: readonly LedgerEntry[]): CertificateRecord[] {
  const revoked = new Map(entries.filter((e) => e.event === 'revoked').map((e) => [e.serial, e.at]));
  return entries
    .filter((e): e is IssuedEntry => e.event === 'issued')
    .map((e) => ({ ...e, revokedAt: revoked.get(e.serial) }));
}
