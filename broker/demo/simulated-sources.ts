// SIMULATOR: partner sources for a generated history; fictitious records, found for a share of persons.
import { createHash } from 'node:crypto';
import type { Adapter, AdapterAnswer } from '../../adapters/contract.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';

/** How often a holder has something on a person, per category (the rest answer not_found). */
const FOUND_SHARE: Readonly<Record<string, number>> = {
  'ggz.bekend': 0.55,
  'ggz.behandelaar': 0.5,
  'ggz.risicosamenvatting': 0.4,
  'ggz.zorgmaatregel': 0.15,
  'politie.registraties': 0.8,
  'politie.dreigingsmeldingen': 0.7,
  'politie.wapenvergunning': 0.1,
  'om.strafzaken': 0.35,
  'om.justitiele_documentatie': 0.4,
  'om.bijzondere_voorwaarden': 0.15,
  'kmar.grensbewegingen': 0.25,
  'dkdb.naderingen': 0.3,
  'dkdb.beveiligingsmaatregelen': 0.2,
  'aivd.signaal': 0.1,
  'aivd.ambtsbericht': 0.5,
};

/** A stable draw in [0, 1) per (person, category): the same person gets the same answer every time. */
function draw(bsn: string, category: string): number {
  return createHash('sha256').update(`${bsn}|${category}`).digest().readUInt32BE(0) / 4_294_967_296;
}

/** A fictitious record of the category's shape: the demo person's, or placeholders for its fields. */
function fictitiousRecord(category: string, fields: readonly string[]): Record<string, unknown> {
  const template = DEMO_DATA[DEMO_BSN]?.[category];
  if (template !== undefined) return { ...template };
  return Object.fromEntries(
    fields.filter((f) => !f.includes('[]')).map((f) => [f, f === 'datum' ? '2025-01-01' : 'Fictief.']),
  );
}

/**
 * SIMULATED holder sources for `schakel demo generate`: every holder partner answers its kind's
 * categories with fictitious records for a fixed share of persons. Never wired into `schakel serve`.
 */
export function createSimulatedSources(
  partners: readonly { id: string; kind: string }[],
  categories: Readonly<Record<string, { holder_kind: string; fields: readonly string[] }>>,
): (holderPartnerId: string) => Adapter | undefined {
  const byPartner = new Map<string, Adapter>();
  for (const partner of partners) {
    const held = Object.entries(categories).filter(([, c]) => c.holder_kind === partner.kind);
    if (held.length === 0) continue;
    const fields = new Map(held.map(([name, c]) => [name, c.fields]));
    byPartner.set(partner.id, {
      categories: held.map(([name]) => name),
      fetch(query): Promise<AdapterAnswer> {
        const found = draw(query.bsn, query.category) < (FOUND_SHARE[query.category] ?? 0.3);
        return Promise.resolve(
          found
            ? { status: 'found', record: fictitiousRecord(query.category, fields.get(query.category) ?? []) }
            : { status: 'not_found' },
        );
      },
    });
  }
  return (id) => byPartner.get(id);
}
