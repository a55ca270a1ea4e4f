// GGZ over FHIR R4: Patient by BSN, an active EpisodeOfCare for "in care", CareTeam/Practitioner for the treating professional.
import type { CareTeam, EpisodeOfCare, FhirResource, HumanName, Patient, Practitioner } from 'fhir/r4.js';
import { type Adapter, type AdapterAnswer, AdapterProtocolError, parseAnswer } from '../contract.ts';
import { BSN_SYSTEM, type FhirClient } from '../fhir/fhir-client.ts';

/** The categories a GGZ FHIR source answers. */
export const GGZ_FHIR_CATEGORIES = ['ggz.bekend', 'ggz.behandelaar'] as const;

export interface GgzFhirAdapterOptions {
  readonly client: FhirClient;
  /** A subset of GGZ_FHIR_CATEGORIES (default: both). */
  readonly categories?: readonly string[];
  /** Time for all the FHIR calls of one question together (default 5 s). */
  readonly timeoutMs?: number;
}

interface Ctx {
  readonly requestId: string;
  readonly signal: AbortSignal;
}

/**
 * The GGZ adapter over a FHIR R4 server. `ggz.bekend` always answers `found` with `inZorg`
 * true or false, for a patient in care, one discharged and a person the institution never saw
 * alike: beroepsgeheim covers the fact of being known, so "not known here" must look exactly like
 * "not in care" (and both only leave after the policy or the behandelaar released them).
 * `ggz.behandelaar` answers `not_found` when there is no active episode of care.
 *
 * @throws Error at construction for a category outside GGZ_FHIR_CATEGORIES. Its fetch rejects
 *   with the client's AdapterErrors, and AdapterProtocolError when the BSN matches several patients.
 * @example createGgzFhirAdapter({ client: createFhirClient({ baseUrl, fetch: mtlsFetch }) })
 */
export function createGgzFhirAdapter(options: GgzFhirAdapterOptions): Adapter {
  const categories = options.categories ?? GGZ_FHIR_CATEGORIES;
  for (const category of categories) {
    if (!(GGZ_FHIR_CATEGORIES as readonly string[]).includes(category)) {
      throw new Error(`the GGZ FHIR adapter does not answer ${category}`);
    }
  }
  const { client } = options;

  async function patientId(bsn: string, ctx: Ctx): Promise<string | undefined> {
    const found = await client.search(
      'Patient',
      { identifier: `${BSN_SYSTEM}|${bsn}` },
      { ...ctx, sensitive: true },
    );
    const patients = (found.match as Patient[]).filter((p) =>
      p.identifier?.some((i) => i.system === BSN_SYSTEM && i.value === bsn),
    );
    if (patients.length > 1) throw new AdapterProtocolError('FHIR source has several patients with this BSN');
    return patients[0]?.id;
  }

  async function activeEpisodes(patient: string, ctx: Ctx): Promise<EpisodeOfCare[]> {
    const found = await client.search(
      'EpisodeOfCare',
      { patient: `Patient/${patient}`, status: 'active' },
      ctx,
    );
    // The server's filter is checked, not trusted: only an active episode of this patient means "in care".
    return (found.match as EpisodeOfCare[]).filter(
      (e) => e.status === 'active' && e.patient.reference?.endsWith(`Patient/${patient}`) === true,
    );
  }

  async function bekend(patient: string | undefined, ctx: Ctx): Promise<Record<string, unknown>> {
    const episodes = patient === undefined ? [] : await activeEpisodes(patient, ctx);
    if (episodes.length === 0) return { inZorg: false };
    const starts = episodes.flatMap((e) => (e.period?.start ? [e.period.start.slice(0, 10)] : [])).sort();
    const instelling = episodes.find((e) => e.managingOrganization?.display)?.managingOrganization?.display;
    return {
      inZorg: true,
      ...(starts[0] === undefined ? {} : { sinds: starts[0] }),
      ...(instelling === undefined ? {} : { instelling }),
    };
  }

  async function behandelaar(
    patient: string | undefined,
    ctx: Ctx,
  ): Promise<Record<string, unknown> | undefined> {
    if (patient === undefined) return undefined;
    const episodes = await activeEpisodes(patient, ctx);
    if (episodes.length === 0) return undefined;
    const teams = await client.search(
      'CareTeam',
      { patient: `Patient/${patient}`, status: 'active', _include: 'CareTeam:participant' },
      ctx,
    );
    const team = (teams.match as CareTeam[]).find((t) => t.status === 'active');
    // The episode's care manager is the treating professional; otherwise the team's first practitioner.
    const managers = episodes.flatMap((e) => (e.careManager?.reference ? [e.careManager.reference] : []));
    const participants = (team?.participant ?? []).filter((p) =>
      p.member?.reference?.includes('Practitioner/'),
    );
    const chosen =
      participants.find((p) => managers.some((m) => sameReference(m, p.member?.reference))) ??
      participants[0];
    const reference = chosen?.member?.reference ?? managers.find((m) => m.includes('Practitioner/'));
    if (reference === undefined) return undefined;
    const practitioner = await practitionerFor(reference, teams.include, ctx);
    const naam = practitioner === undefined ? chosen?.member?.display : nameOf(practitioner.name);
    const functie = chosen?.role?.[0]?.text ?? chosen?.role?.[0]?.coding?.[0]?.display;
    const telefoon =
      practitioner?.telecom?.find((t) => t.system === 'phone' && t.use !== 'home')?.value ??
      team?.telecom?.find((t) => t.system === 'phone')?.value;
    const instelling =
      team?.managingOrganization?.[0]?.display ??
      episodes.find((e) => e.managingOrganization?.display)?.managingOrganization?.display;
    const record = { naam, functie, telefoon, instelling };
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
  }

  async function practitionerFor(
    reference: string,
    included: readonly FhirResource[],
    ctx: Ctx,
  ): Promise<Practitioner | undefined> {
    const id = reference.split('/').at(-1) ?? '';
    const known = included.find((r): r is Practitioner => r.resourceType === 'Practitioner' && r.id === id);
    if (known !== undefined) return known;
    const read = await client.read('Practitioner', id, ctx);
    return read?.resourceType === 'Practitioner' ? read : undefined;
  }

  return {
    categories,
    async fetch(query, signal): Promise<AdapterAnswer> {
      if (!categories.includes(query.category)) {
        throw new AdapterProtocolError('category not answered by this adapter');
      }
      const ctx = {
        requestId: query.requestId,
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 5_000)]),
      };
      const patient = await patientId(query.bsn, ctx);
      const record =
        query.category === 'ggz.bekend' ? await bekend(patient, ctx) : await behandelaar(patient, ctx);
      return record === undefined ? { status: 'not_found' } : parseAnswer({ status: 'found', record });
    },
  };
}

function sameReference(a: string, b: string | undefined): boolean {
  return b !== undefined && (a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`));
}

/** "Dr. A. Voorbeeld": the official name's text, or prefix, given names and family name. */
function nameOf(names: readonly HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (name === undefined) return undefined;
  if (name.text !== undefined) return name.text;
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter((p) => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(' ');
}
