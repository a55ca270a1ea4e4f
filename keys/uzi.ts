// UZI server certificates: the URA lives in subjectAltName otherName 2.5.5.5 as one dash-separated IA5String.
//
// Source: CIBG UZI-register, "CA model, Pasmodel, Certificaat- en CRL-profielen Zorg CSP", section
// "SubjectAltName.otherName": the value is `<OID-CA>-<versie>-<UZI-nr>-<pastype>-<Abonnee-nr>-<rol>-<AGB-code>`,
// where the abonneenummer is the care provider's URA and pastype S marks a server certificate
// (Z zorgverlenerpas, N medewerkerpas op naam, M medewerkerpas niet op naam are personal cards).
import { concat, decodeOid, encodeOid, readElements, tlv } from './der.ts';
import { x509 } from './crypto.ts';

/** The otherName type-id the UZI register uses for its identity string. */
export const UZI_OTHER_NAME_OID = '2.5.5.5';
const SUBJECT_ALT_NAME_OID = '2.5.29.17';

/** The fields of a UZI otherName string. */
export interface UziIdentity {
  readonly caOid: string;
  readonly version: string;
  readonly uziNumber: string;
  /** S server, Z zorgverlener, N medewerker op naam, M medewerker niet op naam. */
  readonly cardType: string;
  /** The abonneenummer: the care provider's URA (8 digits). */
  readonly ura: string;
  readonly role: string;
  readonly agb: string;
}

/** Parses a UZI otherName string; undefined when it does not have the seven fields or a valid URA. */
export function parseUziString(value: string): UziIdentity | undefined {
  const parts = value.split('-');
  if (parts.length !== 7) return undefined;
  const [caOid, version, uziNumber, cardType, ura, role, agb] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{8}$/.test(ura) || !/^[A-Z]$/.test(cardType)) return undefined;
  return { caOid, version, uziNumber, cardType, ura, role, agb };
}

/** Formats a UZI otherName string. */
export function formatUziString(u: UziIdentity): string {
  return [u.caOid, u.version, u.uziNumber, u.cardType, u.ura, u.role, u.agb].join('-');
}

/**
 * Builds a subjectAltName extension holding the UZI otherName (and DNS names, as UZI server
 * certificates also carry the server's FQDN). @peculiar/x509 cannot encode arbitrary otherNames.
 */
export function uziSubjectAltName(value: string, dnsNames: readonly string[] = []): x509.Extension {
  const otherName = tlv(
    0xa0,
    concat(tlv(0x06, encodeOid(UZI_OTHER_NAME_OID)), tlv(0xa0, tlv(0x16, new TextEncoder().encode(value)))),
  );
  const dns = dnsNames.map((n) => tlv(0x82, new TextEncoder().encode(n)));
  return new x509.Extension(SUBJECT_ALT_NAME_OID, false, tlv(0x30, concat(otherName, ...dns)));
}

/** Reads every UZI otherName string from a certificate's subjectAltName (none when absent or malformed). */
export function readUziStrings(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(SUBJECT_ALT_NAME_OID);
  if (ext === null) return [];
  try {
    const [names] = readElements(new Uint8Array(ext.value));
    if (names?.tag !== 0x30) return [];
    const out: string[] = [];
    for (const name of readElements(names.content)) {
      if (name.tag !== 0xa0) continue;
      const [typeId, wrapped] = readElements(name.content);
      if (typeId?.tag !== 0x06 || decodeOid(typeId.content) !== UZI_OTHER_NAME_OID) continue;
      if (wrapped?.tag !== 0xa0) continue;
      const [inner] = readElements(wrapped.content);
      // IA5String per the profile; UTF8String and PrintableString are read too.
      if (inner !== undefined && [0x16, 0x0c, 0x13].includes(inner.tag)) {
        out.push(new TextDecoder().decode(inner.content));
      }
    }
    return out;
  } catch {
    return [];
  }
}
