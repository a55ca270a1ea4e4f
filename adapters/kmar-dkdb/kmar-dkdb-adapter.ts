// KMar border passages and DKDB incidents and security measures, mapped to kmar.* and dkdb.* categories.
import { z } from 'zod';
import type { Adapter } from '../contract.ts';
import { createMappedAdapter, mapping, type PartnerAdapterOptions, type PartnerMappings } from '../native.ts';

const date = z.iso.date();

/** Native document `kmar-grenspassages`: the person's registered border passages. */
export const kmarGrenspassages = z.object({
  passages: z
    .array(
      z.object({
        tijdstip: z.iso.datetime({ offset: true }),
        grensdoorlaatpost: z.string().min(1).max(100),
        richting: z.enum(['inreis', 'uitreis']),
      }),
    )
    .max(10_000),
});

/** Native document `dkdb-incidenten`: approaches to persons the DKDB protects, with this person as the actor. */
export const dkdbIncidenten = z.object({
  incidenten: z
    .array(
      z.object({
        incidentnummer: z.string().min(1).max(64),
        datum: date,
        soort: z.enum(['fysieke_nadering', 'schriftelijk', 'telefonisch', 'online', 'demonstratief']),
        omschrijving: z.string().max(4000),
      }),
    )
    .max(10_000),
});

/** Native document `dkdb-maatregelen`: the security level and measures taken because of this person. */
export const dkdbMaatregelen = z.object({
  beveiligingsniveau: z.number().int().min(1).max(5),
  maatregelen: z
    .array(
      z.object({
        omschrijving: z.string().min(1).max(200),
        status: z.enum(['gepland', 'actief', 'beeindigd']),
        ingangsdatum: date,
      }),
    )
    .max(1_000),
});

/** The calendar day in the Netherlands: a passage at 23:30 UTC in summer is the next day at Schiphol. */
const dutchDay = (instant: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(instant));

const CATEGORIE = {
  fysieke_nadering: 'fysiek',
  schriftelijk: 'schriftelijk',
  telefonisch: 'telefonisch',
  online: 'online',
  demonstratief: 'demonstratief',
} as const;

/** Level 1-2 is the base level, 3 raised, 4-5 high (the DKDB's own five-step scale). */
const niveau = (level: number) => (level <= 2 ? 'basis' : level === 3 ? 'verhoogd' : 'hoog');

/** The KMar category. */
export const KMAR_MAPPINGS: PartnerMappings = {
  'kmar.grensbewegingen': mapping('kmar-grenspassages', kmarGrenspassages, (native) => {
    const bewegingen = [...native.passages]
      .sort((a, b) => Date.parse(b.tijdstip) - Date.parse(a.tijdstip))
      .map((p) => ({
        datum: dutchDay(p.tijdstip),
        post: p.grensdoorlaatpost,
        richting: p.richting === 'inreis' ? 'in' : 'uit',
      }));
    const latest = bewegingen[0];
    return latest === undefined ? undefined : { laatsteBeweging: latest.datum, bewegingen };
  }),
};

/** The DKDB categories. */
export const DKDB_MAPPINGS: PartnerMappings = {
  'dkdb.naderingen': mapping('dkdb-incidenten', dkdbIncidenten, (native) => {
    const naderingen = [...native.incidenten]
      .sort((a, b) => b.datum.localeCompare(a.datum))
      .map((i) => ({ datum: i.datum, categorie: CATEGORIE[i.soort], samenvatting: i.omschrijving }));
    return naderingen.length === 0 ? undefined : { naderingen };
  }),
  'dkdb.beveiligingsmaatregelen': mapping('dkdb-maatregelen', dkdbMaatregelen, (native) => ({
    maatregelen: native.maatregelen.filter((m) => m.status === 'actief').map((m) => m.omschrijving),
    niveau: niveau(native.beveiligingsniveau),
  })),
};

/** The KMar's adapter (border movements). @example createKmarAdapter({ transport }) */
export function createKmarAdapter(options: PartnerAdapterOptions): Adapter {
  return createMappedAdapter(KMAR_MAPPINGS, options);
}

/** The DKDB's adapter (approaches, security measures). @example createDkdbAdapter({ transport }) */
export function createDkdbAdapter(options: PartnerAdapterOptions): Adapter {
  return createMappedAdapter(DKDB_MAPPINGS, options);
}
