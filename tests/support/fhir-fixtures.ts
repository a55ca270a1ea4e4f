// Test fixtures: FHIR R4 resources modelled on HL7's R4 examples (patient-example, episodeofcare-example,
// careteam-example, practitioner-example), with BSN identifiers and fictitious Dutch people.
import type { Bundle, CareTeam, EpisodeOfCare, FhirResource, Patient, Practitioner } from 'fhir/r4.js';

export const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';
/** In care at GGZ Demo (the demo person). */
export const BSN_IN_CARE = '111222333';
/** Known to GGZ Demo, discharged. */
export const BSN_DISCHARGED = '123456782';

/** After patient-example.json ("example"), with a BSN instead of the MRN. */
export function patient(id: string, bsn: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Fictieve patiënt</div>' },
    identifier: [
      { use: 'official', system: BSN_SYSTEM, value: bsn },
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: 'urn:oid:2.16.840.1.113883.2.4.6.3',
        value: `MRN-${id}`,
      },
    ],
    active: true,
    name: [{ use: 'official', family: 'Voorbeeld', given: ['Jan'] }],
    telecom: [{ system: 'phone', value: '06-00000000', use: 'mobile', rank: 1 }],
    gender: 'male',
    birthDate: '1974-12-25',
    address: [
      { use: 'home', type: 'both', line: ['Voorbeeldstraat 1'], city: 'Utrecht', postalCode: '3500 AA' },
    ],
    managingOrganization: { reference: 'Organization/ggz-demo', display: 'GGZ Demo' },
  };
}

/** After episodeofcare-example.json: status, statusHistory, type, period, care manager, team. */
export function episodeOfCare(id: string, patientId: string, status: EpisodeOfCare['status']): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    id,
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Fictieve zorgepisode</div>',
    },
    identifier: [{ system: 'http://example.org/ggz-demo/episodeofcare-identifier', value: `EOC-${id}` }],
    status,
    statusHistory: [
      { status: 'planned', period: { start: '2025-03-01', end: '2025-03-14' } },
      {
        status: 'active',
        period: { start: '2025-03-14', ...(status === 'finished' ? { end: '2025-10-01' } : {}) },
      },
      ...(status === 'finished' ? [{ status: 'finished' as const, period: { start: '2025-10-01' } }] : []),
    ],
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type',
            code: 'hacc',
            display: 'Home and Community Care',
          },
        ],
      },
    ],
    patient: { reference: `Patient/${patientId}` },
    managingOrganization: { reference: 'Organization/ggz-demo', display: 'GGZ Demo' },
    period: { start: '2025-03-14', ...(status === 'finished' ? { end: '2025-10-01' } : {}) },
    careManager: { reference: 'Practitioner/behandelaar-1', display: 'Dr. A. Voorbeeld' },
    team: [{ reference: `CareTeam/team-${patientId}`, display: 'Behandelteam' }],
  };
}

/** After careteam-example.json: participants with roles, managing organisation, team telecom. */
export function careTeam(patientId: string): CareTeam {
  return {
    resourceType: 'CareTeam',
    id: `team-${patientId}`,
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Fictief behandelteam</div>',
    },
    identifier: [{ value: `CT-${patientId}` }],
    status: 'active',
    category: [
      { coding: [{ system: 'http://loinc.org', code: 'LA27976-2', display: 'Encounter-focused care team' }] },
    ],
    name: 'Behandelteam volwassenen',
    subject: { reference: `Patient/${patientId}` },
    period: { start: '2025-03-14' },
    participant: [
      { role: [{ text: 'regiebehandelaar' }], member: { reference: `Patient/${patientId}` } },
      {
        role: [{ text: 'psychiater' }],
        member: { reference: 'Practitioner/behandelaar-1', display: 'Dr. A. Voorbeeld' },
        onBehalfOf: { reference: 'Organization/ggz-demo' },
        period: { start: '2025-03-14' },
      },
      {
        role: [{ text: 'verpleegkundige' }],
        member: { reference: 'Practitioner/vpk-2', display: 'B. Tweede' },
      },
    ],
    managingOrganization: [{ reference: 'Organization/ggz-demo', display: 'GGZ Demo' }],
    telecom: [{ system: 'phone', value: '030-1111111', use: 'work' }],
  };
}

/** After practitioner-example.json: name with prefix, work telecom, address, qualification. */
export function practitioner(): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: 'behandelaar-1',
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Fictieve behandelaar</div>',
    },
    identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/big', value: '00000000000' }],
    active: true,
    name: [{ use: 'official', family: 'Voorbeeld', given: ['A.'], prefix: ['Dr.'] }],
    telecom: [
      { system: 'phone', value: '030-0000000', use: 'work' },
      { system: 'phone', value: '06-99999999', use: 'home' },
    ],
    address: [{ use: 'work', line: ['Zorgweg 1'], city: 'Utrecht', postalCode: '3500 ZZ' }],
    qualification: [
      {
        code: {
          coding: [{ system: 'urn:oid:2.16.840.1.113883.2.4.15.111', code: '01.015', display: 'Psychiater' }],
        },
      },
    ],
  };
}

/** A searchset Bundle as a FHIR server answers a search (matches, then includes). */
export function searchset(match: readonly FhirResource[], include: readonly FhirResource[] = []): Bundle {
  return {
    resourceType: 'Bundle',
    id: `search-${match.length}-${include.length}`,
    meta: { lastUpdated: '2026-11-15T12:00:00Z' },
    type: 'searchset',
    total: match.length,
    link: [{ relation: 'self', url: 'https://ggz.example/fhir/_search' }],
    entry: [
      ...match.map((resource) => ({
        fullUrl: `https://ggz.example/fhir/${resource.resourceType}/${resource.id ?? ''}`,
        resource,
        search: { mode: 'match' as const, score: 1 },
      })),
      ...include.map((resource) => ({
        fullUrl: `https://ggz.example/fhir/${resource.resourceType}/${resource.id ?? ''}`,
        resource,
        search: { mode: 'include' as const },
      })),
    ],
  };
}

/** The simulated institution's records. */
export const GGZ_RECORDS = {
  patients: [patient('p-in-zorg', BSN_IN_CARE), patient('p-uit-zorg', BSN_DISCHARGED)],
  episodes: [episodeOfCare('eoc-1', 'p-in-zorg', 'active'), episodeOfCare('eoc-2', 'p-uit-zorg', 'finished')],
  teams: [careTeam('p-in-zorg')],
  practitioners: [practitioner()],
};
