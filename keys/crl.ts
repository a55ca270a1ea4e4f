// Certificate revocation lists for every CA level of a PKI directory, and reading CRLs from any CA.
import { existsSync, readFileSync } from 'node:fs';
import { SIGNING_ALGORITHM, importKeyPair, x509 } from './crypto.ts';
import { encodeInteger } from './der.ts';
import { normaliseSerial } from './certificate-facts.ts';
import { pkiPaths } from './dev-pki.ts';
import { appendLedger, certificateRecords, readLedger, type CaLevel } from './ledger.ts';
import { crlFiles, writeFileAtomic } from './pki-files.ts';

const HOUR = 60 * 60 * 1000;
/** A CRL is valid for a week; the broker re-signs the dev CRLs when less than two days remain. */
export const CRL_VALIDITY_MS = 7 * 24 * HOUR;
export const CRL_REFRESH_MARGIN_MS = 2 * 24 * HOUR;

/** What a CRL says. */
export interface CrlFacts {
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Normalised serials of the revoked certificates. */
  readonly revoked: readonly string[];
}

/**
 * Reads a CRL (PEM with the `X509 CRL` label, or DER).
 *
 * @throws Error when it is not a CRL.
 */
export function readCrl(crl: string | Uint8Array): CrlFacts {
  const parsed = new x509.X509Crl(typeof crl === 'string' ? crl : Uint8Array.from(crl).buffer);
  return {
    issuer: parsed.issuer,
    thisUpdate: parsed.thisUpdate,
    nextUpdate: parsed.nextUpdate,
    revoked: parsed.entries.map((e) => normaliseSerial(e.serialNumber)),
  };
}

/** Splits a PEM bundle into its blocks (Node reads several CRLs in one buffer as one: pass an array). */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];
}

async function signCrl(dir: string, level: CaLevel, serials: readonly string[], now: Date): Promise<string> {
  const p = pkiPaths(dir);
  const certFile = level === 'root' ? p.rootCert : p.issuingCert;
  const keyFile = level === 'root' ? p.rootKey : p.issuingKey;
  const cert = new x509.X509Certificate(readFileSync(certFile, 'utf8'));
  const keys = await importKeyPair(readFileSync(keyFile, 'utf8'), cert);
  const crl = await x509.X509CrlGenerator.create({
    issuer: cert.subject,
    thisUpdate: new Date(now.getTime() - 60_000),
    nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS),
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: now })),
    signingAlgorithm: SIGNING_ALGORITHM,
    signingKey: keys.privateKey,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(cert, false),
      // cRLNumber: increasing, so relying parties can tell a newer CRL from an older one.
      new x509.Extension('2.5.29.20', false, encodeInteger(BigInt(now.getTime()))),
    ],
  });
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL') + '\n';
}

/** Signs fresh CRLs for the root and issuing CA from the ledger's revocations. */
export async function writeCrls(dir: string, now: Date = new Date()): Promise<void> {
  const records = certificateRecords(readLedger(dir)).filter((r) => r.revokedAt !== undefined);
  const files = crlFiles(dir);
  for (const level of ['root', 'issuing'] as const) {
    const serials = records.filter((r) => r.ca === level).map((r) => r.serial);
    writeFileAtomic(files[level], await signCrl(dir, level, serials, now), false);
  }
}

/** Re-signs the CRLs when one is missing or expires within the margin. Returns whether it did. */
export async function refreshCrlsIfDue(dir: string, now: Date = new Date()): Promise<boolean> {
  const files = crlFiles(dir);
  const due = [files.root, files.issuing].some((file) => {
    if (!existsSync(file)) return true;
    const next = readCrl(readFileSync(file, 'utf8')).nextUpdate;
    return next === undefined || next.getTime() - now.getTime() < CRL_REFRESH_MARGIN_MS;
  });
  if (due) await writeCrls(dir, now);
  return due;
}

/** The outcome of a revocation. */
export interface Revocation {
  readonly serial: string;
  readonly ca: CaLevel;
  readonly subject: string;
  readonly alreadyRevoked: boolean;
}

/**
 * Revokes a certificate this PKI issued and re-signs both CRLs. Idempotent.
 *
 * @throws Error with code ERR_CERT_NOT_FOUND when no certificate with that serial was issued here.
 */
export async function revokeCertificate(
  dir: string,
  serialHex: string,
  reason = 'unspecified',
  now: Date = new Date(),
): Promise<Revocation> {
  const serial = normaliseSerial(serialHex);
  const record = certificateRecords(readLedger(dir)).find((r) => r.serial === serial);
  if (record === undefined) {
    throw Object.assign(new Error(`no certificate with serial ${serial} was issued by the PKI in ${dir}`), {
      code: 'ERR_CERT_NOT_FOUND',
    });
  }
  const alreadyRevoked = record.revokedAt !== undefined;
  if (!alreadyRevoked) {
    appendLedger(dir, { event: 'revoked', at: now.toISOString(), serial, ca: record.ca, reason });
  }
  await writeCrls(dir, now);
  return { serial, ca: record.ca, subject: record.subject, alreadyRevoked };
}
