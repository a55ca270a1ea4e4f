// Issues client certificates: partner systems (OIN in serialNumber or URA in the UZI otherName) and people.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPair, privateKeyToPem, randomSerial, SIGNING_ALGORITHM, x509 } from './crypto.ts';
import { loadIssuingCa } from './dev-pki.ts';
import { normaliseSerial } from './certificate-facts.ts';
import { appendLedger } from './ledger.ts';
import { writeFileAtomic } from './pki-files.ts';
import {
  OID_CLIENT_AUTH,
  OID_SERIAL_NUMBER,
  OID_TITLE,
  OID_UID,
  POLICY_SCHAKEL_PERSON,
  POLICY_SCHAKEL_SYSTEM,
} from './profiles.ts';
import { generateTokenKey } from './token-keys.ts';
import { formatUziString, uziSubjectAltName } from './uzi.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The UZI CA OID the dev PKI writes into the otherName string (the UZI server-certificate CA's arc). */
const DEV_UZI_CA_OID = '2.16.528.1.1003.1.3.5.5.2';

/** Validity and purpose knobs; tests use them to make expired or wrong-purpose certificates. */
export interface IssueKnobs {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Extended key usages; default clientAuth. */
  readonly purposes?: readonly string[];
}

export interface PartnerCertificateOptions extends IssueKnobs {
  readonly partnerId: string;
  readonly oin?: string | undefined;
  readonly ura?: string | undefined;
  readonly organisation: string;
  readonly unit?: string | undefined;
  /** Directory for cert.pem, key.pem, token-key.jwk and token-jwks.json. */
  readonly out: string;
}

export interface PersonCertificateOptions extends IssueKnobs {
  readonly personId: string;
  readonly name: string;
  readonly partnerId: string;
  readonly role: string;
  readonly organisation?: string | undefined;
  /** Directory for cert.pem and key.pem. */
  readonly out: string;
}

/** What was issued and where. */
export interface IssuedCertificate {
  readonly serial: string;
  readonly subject: string;
  readonly notAfter: Date;
  readonly files: readonly string[];
}

/** The files `issue` writes into an output directory (part of the public contract). */
export function issuedFiles(out: string) {
  return {
    cert: path.join(out, 'cert.pem'),
    key: path.join(out, 'key.pem'),
    tokenKey: path.join(out, 'token-key.jwk'),
    tokenJwks: path.join(out, 'token-jwks.json'),
  };
}

/** True when `out` already holds an issued certificate. */
export function hasIssued(out: string): boolean {
  return existsSync(issuedFiles(out).cert);
}

async function issue(
  dir: string,
  subject: x509.JsonName,
  policy: string,
  knobs: IssueKnobs,
  extra: readonly x509.Extension[],
  out: string,
): Promise<IssuedCertificate & { certPem: string }> {
  const ca = await loadIssuingCa(dir);
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: new x509.Name(subject),
    issuer: ca.cert.subject,
    notBefore: knobs.notBefore ?? new Date(now - 60 * 60 * 1000),
    notAfter: knobs.notAfter ?? new Date(now + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([...(knobs.purposes ?? [OID_CLIENT_AUTH])], false),
      new x509.CertificatePolicyExtension([policy], false),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...extra,
    ],
  });
  const files = issuedFiles(out);
  const certPem = `${cert.toString('pem')}\n${ca.cert.toString('pem')}\n`;
  writeFileAtomic(files.cert, certPem, false);
  writeFileAtomic(files.key, await privateKeyToPem(keys.privateKey), true);
  return {
    serial: normaliseSerial(cert.serialNumber),
    subject: cert.subject,
    notAfter: cert.notAfter,
    files: [files.cert, files.key],
    certPem,
  };
}

/**
 * Issues a partner-system client certificate (clientAuth) and a token-signing key. The OIN goes in
 * the subject serialNumber (PKIoverheid, Digikoppeling/FSC); a URA goes in a UZI-style
 * subjectAltName otherName. O is the organisation, OU the unit, CN the partner id.
 *
 * @throws Error when neither or both identifiers are given.
 * @example await issuePartnerCertificate('./var/pki', { partnerId: 'ggz-noord', ura: '90000123', organisation: 'GGZ Noord', out: './var/pki/partners/ggz-noord' });
 */
export async function issuePartnerCertificate(
  dir: string,
  o: PartnerCertificateOptions,
): Promise<IssuedCertificate> {
  if ((o.oin === undefined) === (o.ura === undefined)) throw new Error('give exactly one of oin and ura');
  const subject: x509.JsonName = [{ CN: [o.partnerId] }];
  if (o.oin !== undefined) subject.push({ [OID_SERIAL_NUMBER]: [o.oin] });
  subject.push({ O: [o.organisation] });
  if (o.unit !== undefined && o.unit !== '') subject.push({ OU: [o.unit] });
  subject.push({ C: ['NL'] });
  const extra =
    o.ura === undefined
      ? []
      : [
          uziSubjectAltName(
            formatUziString({
              caOid: DEV_UZI_CA_OID,
              version: '1',
              uziNumber: '900000000',
              cardType: 'S',
              ura: o.ura,
              role: '00.000',
              agb: '00000000',
            }),
          ),
        ];
  const issued = await issue(dir, subject, POLICY_SCHAKEL_SYSTEM, o, extra, o.out);
  const key = await generateTokenKey();
  const files = issuedFiles(o.out);
  writeFileAtomic(files.tokenKey, JSON.stringify(key.privateJwk, null, 2) + '\n', true);
  writeFileAtomic(files.tokenJwks, JSON.stringify(key.jwks, null, 2) + '\n', false);
  appendLedger(dir, {
    event: 'issued',
    at: new Date().toISOString(),
    serial: issued.serial,
    ca: 'issuing',
    kind: 'system',
    subject: issued.subject,
    notAfter: issued.notAfter.toISOString(),
    partner: o.partnerId,
  });
  return { ...issued, files: [...issued.files, files.tokenKey, files.tokenJwks] };
}

/**
 * Issues a personal certificate for the pages: CN the name, UID the registered person id, title the
 * role, OU the partner id, and schakel's person policy.
 *
 * @example await issuePersonCertificate('./var/pki', { personId: 'po-ggz', name: 'P. Officer', partnerId: 'demo-ggz', role: 'privacy_officer', out });
 */
export async function issuePersonCertificate(
  dir: string,
  o: PersonCertificateOptions,
): Promise<IssuedCertificate> {
  const subject: x509.JsonName = [
    { CN: [o.name] },
    { [OID_UID]: [o.personId] },
    { [OID_TITLE]: [o.role] },
    { O: [o.organisation ?? o.partnerId] },
    { OU: [o.partnerId] },
    { C: ['NL'] },
  ];
  const issued = await issue(dir, subject, POLICY_SCHAKEL_PERSON, o, [], o.out);
  appendLedger(dir, {
    event: 'issued',
    at: new Date().toISOString(),
    serial: issued.serial,
    ca: 'issuing',
    kind: 'person',
    subject: issued.subject,
    notAfter: issued.notAfter.toISOString(),
    partner: o.partnerId,
    person: o.personId,
    role: o.role,
  });
  return issued;
}
