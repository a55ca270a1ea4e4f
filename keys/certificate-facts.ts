// Reads what the broker needs from a client certificate: identifiers, unit, kind (system or person), purpose.
import { createHash } from 'node:crypto';
import { x509 } from './crypto.ts';
import {
  OID_CERTIFICATE_POLICIES,
  OID_CLIENT_AUTH,
  OID_SERIAL_NUMBER,
  OID_TITLE,
  OID_UID,
  PERSON_POLICIES,
  UZI_PERSON_CARD_TYPES,
} from './profiles.ts';
import { decodeOid, readElements } from './der.ts';
import { parseUziString, readUziStrings, type UziIdentity } from './uzi.ts';

/** The facts of one certificate, as the identity guard uses them. */
export interface CertificateFacts {
  /** Lower-case hex without leading zero bytes. */
  readonly serial: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** base64url SHA-256 of the DER certificate: the RFC 8705 `x5t#S256` confirmation. */
  readonly x5tS256: string;
  /** The extended key usage names clientAuth (absent EKU does not count). */
  readonly clientAuth: boolean;
  readonly kind: 'system' | 'person';
  readonly oin: string | undefined;
  readonly ura: string | undefined;
  readonly uzi: UziIdentity | undefined;
  /** OU, '' when absent. */
  readonly unit: string;
  readonly organisation: string | undefined;
  readonly commonName: string | undefined;
  /** For person certificates: UID (registered person id) and title (role). */
  readonly personId: string | undefined;
  readonly role: string | undefined;
}

/** Normalises a hex serial for comparison: lower case, no leading zeros. */
export function normaliseSerial(hex: string): string {
  return hex
    .toLowerCase()
    .replace(/^(00)+(?=.)/, '')
    .replace(/^0+(?=.)/, '');
}

/** The key a revocation set uses: issuer DN plus serial. */
export function revocationKey(issuer: string, serial: string): string {
  return `${issuer}#${normaliseSerial(serial)}`;
}

/**
 * Reads the facts of a DER or PEM certificate.
 *
 * @throws Error when the bytes are not a certificate.
 */
export function certificateFacts(certificate: Uint8Array | string): CertificateFacts {
  const cert = new x509.X509Certificate(
    typeof certificate === 'string' ? certificate : Uint8Array.from(certificate).buffer,
  );
  const name = cert.subjectName;
  const first = (oid: string): string | undefined => name.getField(oid)[0];
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const policies = readPolicies(cert);
  const uzi = readUziStrings(cert)
    .map(parseUziString)
    .find((u) => u !== undefined);
  const oin = first(OID_SERIAL_NUMBER);
  const personal =
    policies.some((p) => PERSON_POLICIES.has(p)) ||
    (uzi !== undefined && UZI_PERSON_CARD_TYPES.has(uzi.cardType));
  return {
    serial: normaliseSerial(cert.serialNumber),
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    x5tS256: createHash('sha256').update(new Uint8Array(cert.rawData)).digest('base64url'),
    clientAuth: eku?.usages.map(String).includes(OID_CLIENT_AUTH) ?? false,
    kind: personal ? 'person' : 'system',
    oin: oin !== undefined && /^\d{20}$/.test(oin) ? oin : undefined,
    ura: uzi?.ura,
    uzi,
    unit: first('OU') ?? '',
    organisation: first('O'),
    commonName: first('CN'),
    personId: first(OID_UID),
    role: first(OID_TITLE),
  };
}

/**
 * The certificatePolicies OIDs. Decoded here because the ASN.1 layer under @peculiar/x509 loses
 * arcs above 2^53 (UUID arcs under 2.25).
 */
function readPolicies(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(OID_CERTIFICATE_POLICIES);
  if (ext === null) return [];
  try {
    const [seq] = readElements(new Uint8Array(ext.value));
    return readElements(seq?.content ?? new Uint8Array())
      .map((info) => readElements(info.content)[0])
      .filter((oid) => oid?.tag === 0x06)
      .map((oid) => decodeOid(oid!.content));
  } catch {
    return [];
  }
}
