// The development PKI: a root CA, an issuing CA and the broker's server certificate under one directory.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  generateKeyPair,
  importKeyPair,
  privateKeyToPem,
  randomSerial,
  SIGNING_ALGORITHM,
  x509,
} from './crypto.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Where the dev PKI keeps its files; the layout is part of the public contract (DESIGN.md). */
export function pkiPaths(dir: string) {
  return {
    dir,
    /** The CA bundle partners must trust (issuing CA then root). */
    caBundle: path.join(dir, 'ca.pem'),
    rootCert: path.join(dir, 'root-ca', 'cert.pem'),
    rootKey: path.join(dir, 'root-ca', 'key.pem'),
    issuingCert: path.join(dir, 'issuing-ca', 'cert.pem'),
    issuingKey: path.join(dir, 'issuing-ca', 'key.pem'),
    serverCert: path.join(dir, 'server', 'cert.pem'),
    serverKey: path.join(dir, 'server', 'key.pem'),
    partnersDir: path.join(dir, 'partners'),
    peopleDir: path.join(dir, 'people'),
  };
}

export type PkiPaths = ReturnType<typeof pkiPaths>;

/** The broker's TLS material, as PEM strings. */
export interface ServerCredentials {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/** A loaded certificate authority that can sign. */
export interface CertificateAuthority {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

export interface InitPkiOptions {
  /** Host names and addresses for the server certificate. */
  readonly serverNames?: readonly string[];
}

/** Writes a file, creating its directory; private material gets mode 0600. */
export function writeSecureFile(file: string, content: string, secret: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: secret ? 0o600 : 0o644 });
  if (secret) chmodSync(file, 0o600);
}

/**
 * Creates a root CA (10 years), an issuing CA (5 years) and a server certificate (1 year) under
 * `dir`, unless a CA bundle already exists there.
 *
 * @returns true when a new PKI was created.
 * @example await ensureDevPki('./var/pki');
 */
export async function ensureDevPki(dir: string, options: InitPkiOptions = {}): Promise<boolean> {
  const p = pkiPaths(dir);
  if (existsSync(p.caBundle) && existsSync(p.serverCert)) return false;
  await initPki(dir, options);
  return true;
}

/** Creates a fresh PKI under `dir` (see ensureDevPki), overwriting nothing of a different layout. */
export async function initPki(dir: string, options: InitPkiOptions = {}): Promise<void> {
  const p = pkiPaths(dir);
  const now = Date.now();
  const rootKeys = await generateKeyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=schakel dev Root CA, O=schakel development, C=NL',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys: rootKeys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const issuingKeys = await generateKeyPair();
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=schakel dev Issuing CA, O=schakel development, C=NL',
    issuer: root.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 1825 * DAY),
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root, false),
    ],
  });
  writeSecureFile(p.rootCert, root.toString('pem') + '\n', false);
  writeSecureFile(p.rootKey, await privateKeyToPem(rootKeys.privateKey), true);
  writeSecureFile(p.issuingCert, issuing.toString('pem') + '\n', false);
  writeSecureFile(p.issuingKey, await privateKeyToPem(issuingKeys.privateKey), true);
  writeSecureFile(p.caBundle, `${issuing.toString('pem')}\n${root.toString('pem')}\n`, false);
  await issueServerCertificate(dir, options.serverNames ?? ['localhost', '127.0.0.1', '::1']);
}

/** Loads the issuing CA that signs leaf certificates. */
export async function loadIssuingCa(dir: string): Promise<CertificateAuthority> {
  const p = pkiPaths(dir);
  const cert = new x509.X509Certificate(readFileSync(p.issuingCert, 'utf8'));
  return { cert, keys: await importKeyPair(readFileSync(p.issuingKey, 'utf8'), cert) };
}

/** Issues (or re-issues) the broker's TLS server certificate for the given names. */
export async function issueServerCertificate(dir: string, names: readonly string[]): Promise<void> {
  const p = pkiPaths(dir);
  const ca = await loadIssuingCa(dir);
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${names[0] ?? 'localhost'}, O=schakel development, C=NL`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) =>
          /^[\d.]+$|:/.test(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n },
        ),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  writeSecureFile(p.serverCert, `${cert.toString('pem')}\n${ca.cert.toString('pem')}\n`, false);
  writeSecureFile(p.serverKey, await privateKeyToPem(keys.privateKey), true);
}

/** Reads the server credentials of a PKI directory. */
export function readServerCredentials(dir: string): ServerCredentials {
  const p = pkiPaths(dir);
  return {
    cert: readFileSync(p.serverCert, 'utf8'),
    key: readFileSync(p.serverKey, 'utf8'),
    ca: readFileSync(p.caBundle, 'utf8'),
  };
}
