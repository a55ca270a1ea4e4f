// Demo partners and people for `schakel serve` with no configuration: certificates under the dev PKI, rows in the registry.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasIssued, issuePartnerCertificate, issuePersonCertificate, issuedFiles } from '../../keys/issue.ts';
import type { PartnerKind } from '../store/schema.ts';
import type { Jwks, Registry } from './registry.ts';

/** A demo partner; identifiers are made up, shaped like real ones. */
export interface DemoPartner {
  readonly id: string;
  readonly kind: PartnerKind;
  readonly oin?: string;
  readonly ura?: string;
  readonly unit?: string;
  readonly organisation: string;
  readonly national?: boolean;
}

const POLITIE_OIN = '00000001800000001000';

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  { id: 'demo-ggz', kind: 'ggz', ura: '90000001', organisation: 'Demo GGZ-instelling' },
  {
    id: 'demo-politie',
    kind: 'politie',
    oin: POLITIE_OIN,
    unit: 'Landelijk Team Dreigingsmanagement',
    organisation: 'Demo Politie',
    national: true,
  },
  { id: 'demo-om', kind: 'om', oin: '00000001800000002000', organisation: 'Demo Openbaar Ministerie' },
  {
    id: 'demo-kmar',
    kind: 'kmar',
    oin: '00000001800000003000',
    organisation: 'Demo Koninklijke Marechaussee',
  },
  {
    id: 'demo-dkdb',
    kind: 'dkdb',
    oin: POLITIE_OIN,
    unit: 'Dienst Koninklijke en Diplomatieke Beveiliging',
    organisation: 'Demo Politie',
  },
  { id: 'demo-aivd', kind: 'aivd', oin: '00000001800000004000', organisation: 'Demo AIVD' },
  {
    id: 'demo-veiligheidshuis',
    kind: 'veiligheidshuis',
    oin: '00000001800000005000',
    organisation: 'Demo Zorg- en Veiligheidshuis',
  },
];

/** A demo person: a privacy officer per partner kind, an evaluator, an auditor and two reviewers. */
export interface DemoPerson {
  readonly id: string;
  readonly name: string;
  readonly partnerId: string;
  readonly role: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  ...DEMO_PARTNERS.map((p) => ({
    id: `po-${p.id.replace(/^demo-/, '')}`,
    name: `Privacy officer ${p.organisation}`,
    partnerId: p.id,
    role: 'privacy_officer',
  })),
  { id: 'evaluator', name: 'Demo evaluator', partnerId: 'demo-veiligheidshuis', role: 'evaluator' },
  { id: 'auditor', name: 'Demo auditor', partnerId: 'demo-om', role: 'auditor' },
  { id: 'behandelaar-ggz', name: 'Demo behandelaar', partnerId: 'demo-ggz', role: 'behandelaar' },
  { id: 'analist-aivd', name: 'Demo analist', partnerId: 'demo-aivd', role: 'analist' },
];

/** Where demo partners' and people's files live in a PKI directory. */
export function demoDirs(pkiDir: string) {
  return {
    partner: (id: string) => path.join(pkiDir, 'partners', id),
    person: (id: string) => path.join(pkiDir, 'people', id),
  };
}

/**
 * Issues what is missing and registers who is missing; a second run changes nothing (and issues no
 * certificate, so a restart stays fast).
 *
 * @returns how many certificates were issued and registry rows added.
 */
export async function seedDemo(
  pkiDir: string,
  registry: Registry,
): Promise<{ issued: number; registered: number }> {
  const dirs = demoDirs(pkiDir);
  let issued = 0;
  let registered = 0;
  const known = new Set((await registry.listPartners()).map((p) => p.id));
  for (const p of DEMO_PARTNERS) {
    const out = dirs.partner(p.id);
    if (!hasIssued(out)) {
      await issuePartnerCertificate(pkiDir, {
        partnerId: p.id,
        oin: p.oin,
        ura: p.ura,
        organisation: p.organisation,
        unit: p.unit,
        out,
      });
      issued++;
    }
    const jwks = JSON.parse(readFileSync(issuedFiles(out).tokenJwks, 'utf8')) as Jwks;
    if (!known.has(p.id)) {
      await registry.addPartner({
        id: p.id,
        kind: p.kind,
        identifierType: p.oin === undefined ? 'ura' : 'oin',
        identifier: p.oin ?? p.ura ?? '',
        unit: p.unit,
        organisation: p.organisation,
        national: p.national,
        jwks,
      });
      registered++;
    }
  }
  const people = new Set((await registry.listPeople()).map((p) => p.id));
  for (const person of DEMO_PEOPLE) {
    const out = dirs.person(person.id);
    if (!hasIssued(out)) {
      const partner = DEMO_PARTNERS.find((p) => p.id === person.partnerId);
      await issuePersonCertificate(pkiDir, {
        personId: person.id,
        ...person,
        organisation: partner?.organisation,
        out,
      });
      issued++;
    }
    if (!people.has(person.id)) {
      await registry.addPerson(person);
      registered++;
    }
  }
  return { issued, registered };
}
