// Sets up a PKI directory completely: CAs, server certificate, ledger entries and current CRLs for every CA level.
import { existsSync, readFileSync } from 'node:fs';
import { x509 } from './crypto.ts';
import { refreshCrlsIfDue, writeCrls } from './crl.ts';
import { initPki, pkiPaths, type InitPkiOptions } from './dev-pki.ts';
import { normaliseSerial } from './certificate-facts.ts';
import { appendLedger, readLedger } from './ledger.ts';

function recordIssued(dir: string, file: string, kind: 'ca' | 'server'): void {
  const cert = new x509.X509Certificate(readFileSync(file, 'utf8'));
  appendLedger(dir, {
    event: 'issued',
    at: new Date().toISOString(),
    serial: normaliseSerial(cert.serialNumber),
    ca: kind === 'ca' ? 'root' : 'issuing',
    kind,
    subject: cert.subject,
    notAfter: cert.notAfter.toISOString(),
  });
}

/**
 * Creates a fresh PKI (root CA, issuing CA, server certificate), records it in the ledger and signs
 * the first CRLs. Overwrites an existing PKI in `dir`.
 */
export async function createPki(dir: string, options: InitPkiOptions = {}): Promise<void> {
  await initPki(dir, options);
  const p = pkiPaths(dir);
  recordIssued(dir, p.issuingCert, 'ca');
  recordIssued(dir, p.serverCert, 'server');
  await writeCrls(dir);
}

/**
 * Makes sure `dir` holds a usable PKI: creates one when absent, and re-signs CRLs that are missing
 * or close to their nextUpdate (a PKI made before CRLs existed gets them here).
 *
 * @returns true when a new PKI was created.
 */
export async function ensurePki(dir: string, options: InitPkiOptions = {}): Promise<boolean> {
  const p = pkiPaths(dir);
  if (!existsSync(p.caBundle) || !existsSync(p.serverCert)) {
    await createPki(dir, options);
    return true;
  }
  if (readLedger(dir).length === 0) {
    recordIssued(dir, p.issuingCert, 'ca');
    recordIssued(dir, p.serverCert, 'server');
  }
  await refreshCrlsIfDue(dir);
  return false;
}
