// SIMULATOR (test double): a GGZ institution's minimal FHIR R4 server over mutual TLS (Patient, EpisodeOfCare, CareTeam, Practitioner).
import type { FhirResource } from 'fhir/r4.js';
import { BSN_SYSTEM, GGZ_RECORDS, searchset } from './fhir-fixtures.ts';
import { startMtlsTestServer } from './mtls-test-server.ts';

/** One interaction the simulated server received. */
export interface FhirInteraction {
  readonly method: string;
  /** Path and query string as received (a BSN here would be a leak into access logs). */
  readonly url: string;
  /** The subject CN of the client certificate the broker presented. */
  readonly client: string;
}

export interface FhirSimulator {
  readonly interactions: FhirInteraction[];
  /** The FHIR base URL; `broken` answers every search with a Bundle outside the R4 schema. */
  baseUrl(behaviour?: 'answer' | 'broken'): string;
  close(): Promise<void>;
}

/**
 * Starts the simulated GGZ FHIR server: `POST /fhir/Patient/_search` (and `GET /fhir/Patient?`)
 * by `identifier=<bsn system>|<bsn>`, `GET /fhir/EpisodeOfCare?patient=&status=`,
 * `GET /fhir/CareTeam?patient=&status=&_include=CareTeam:participant`, `GET /fhir/Practitioner/{id}`.
 * Client certificates are required and must chain to `ca`.
 */
export async function startFhirSimulator(tls: {
  cert: string;
  key: string;
  ca: string;
}): Promise<FhirSimulator> {
  const interactions: FhirInteraction[] = [];
  const server = await startMtlsTestServer(tls, ({ req, body, client }, res) => {
    interactions.push({ method: req.method ?? '', url: req.url ?? '', client });
    const url = new URL(req.url ?? '/', 'https://simulator');
    const [, mode = '', root = '', type = '', id = ''] = url.pathname.split('/');
    const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const send = (status: number, answer: unknown) => {
      res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(answer));
    };
    if (root !== 'fhir') return send(404, outcome('not-found'));
    if (mode === 'broken') {
      return send(200, {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: { resourceType: 'Patient', gender: 'onbekend' } }],
      });
    }
    const answer = route(req.method ?? '', type, id, params);
    if (answer === undefined) return send(404, outcome('not-found'));
    return send(200, answer);
  });
  return {
    interactions,
    baseUrl: (behaviour = 'answer') => `https://127.0.0.1:${server.port}/${behaviour}/fhir`,
    close: () => server.close(),
  };
}

function route(method: string, type: string, id: string, params: URLSearchParams): unknown {
  const patientRef = params.get('patient') ?? '';
  if (type === 'Patient' && (id === '_search' ? method === 'POST' : method === 'GET' && id === '')) {
    const [system, value] = (params.get('identifier') ?? '').split('|');
    return searchset(
      GGZ_RECORDS.patients.filter(
        (p) => system === BSN_SYSTEM && p.identifier?.some((i) => i.value === value),
      ),
    );
  }
  if (method !== 'GET') return undefined;
  if (type === 'EpisodeOfCare' && id === '') {
    const status = params.get('status');
    return searchset(
      GGZ_RECORDS.episodes.filter(
        (e) => e.patient.reference === patientRef && (status === null || e.status === status),
      ),
    );
  }
  if (type === 'CareTeam' && id === '') {
    const teams = GGZ_RECORDS.teams.filter((t) => t.subject?.reference === patientRef);
    const include: FhirResource[] =
      params.get('_include') === 'CareTeam:participant'
        ? GGZ_RECORDS.practitioners.filter((p) =>
            teams.some((t) =>
              t.participant?.some((m) => m.member?.reference === `Practitioner/${p.id ?? ''}`),
            ),
          )
        : [];
    return searchset(teams, include);
  }
  if (type === 'Practitioner' && id !== '') return GGZ_RECORDS.practitioners.find((p) => p.id === id);
  return undefined;
}

function outcome(code: string): unknown {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] };
}
