// Certificate profiles: the OIDs and subject layouts that tell a partner system from a person.

/** Subject serialNumber: where PKIoverheid and Digikoppeling/FSC put the OIN. (In x509 name strings `SN` is surname.) */
export const OID_SERIAL_NUMBER = '2.5.4.5';
/** Subject title: the role of a person certificate. */
export const OID_TITLE = '2.5.4.12';
/** Subject UID: the registered person id of a person certificate. */
export const OID_UID = '0.9.2342.19200300.100.1.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const OID_CERTIFICATE_POLICIES = '2.5.29.32';

/**
 * schakel's own policy OIDs (UUID arcs under 2.25, which need no registration) that the dev PKI puts
 * in certificatePolicies to mark a partner-system certificate and a personal certificate.
 */
export const POLICY_SCHAKEL_SYSTEM = '2.25.132580708983901443281046808974122939660';
export const POLICY_SCHAKEL_PERSON = '2.25.280826918651986267814773286923113850254';

/**
 * Policies that mark a personal certificate in production: PKIoverheid "Organisatie Persoon"
 * (authenticiteit, onweerlegbaarheid, vertrouwelijkheid) besides schakel's own. A certificate
 * without any of these is treated as a system (services/server) certificate.
 */
export const PERSON_POLICIES: ReadonlySet<string> = new Set([
  POLICY_SCHAKEL_PERSON,
  '2.16.528.1.1003.1.2.5.1',
  '2.16.528.1.1003.1.2.5.2',
  '2.16.528.1.1003.1.2.5.3',
]);

/** UZI card types that belong to a person (zorgverlenerpas, medewerkerpas op/niet op naam). */
export const UZI_PERSON_CARD_TYPES: ReadonlySet<string> = new Set(['Z', 'N', 'M']);

/** An OIN: 20 digits. */
export const OIN_PATTERN = /^\d{20}$/;
/** A URA (UZI-register abonneenummer): 8 digits. */
export const URA_PATTERN = /^\d{8}$/;
