// Politie: BVH-style incident registrations and the weapons-licence register, mapped to the politie.* categories.
import { z } from 'zod';
import type { Adapter } from '../contract.ts';
import { createMappedAdapter, mapping, type PartnerAdapterOptions, type PartnerMappings } from '../native.ts';

const date = z.iso.date();

/**
 * One registration in the BVH (Basisvoorziening Handhaving) as the politie exports it for a person:
 * the person's role in it, the social classification (maatschappelijke classificatie) and, for a
 * threat, whom it was aimed at.
 */
const registratie = z.object({
  registratienummer: z.string().min(1).max(64),
  pleegdatum: date,
  rol: z.enum(['verdachte', 'betrokkene', 'aangever', 'getuige', 'slachtoffer']),
  maatschappelijkeClassificatie: z.object({
    code: z.string().min(1).max(16),
    omschrijving: z.string().max(200),
  }),
  bedreiging: z
    .object({
      bedreigdeCategorie: z.enum([
        'koninklijk_huis',
        'minister_president',
        'politiek_ambtsdrager',
        'overig_publiek',
      ]),
    })
    .optional(),
  korteOmschrijving: z.string().max(4000),
});

/** Native document `bvh-registraties`: `{"registraties": [registratie, ...]}`. */
export const bvhRegistraties = z.object({ registraties: z.array(registratie).max(10_000) });

/** Native document `wapenvergunningen`: the person's licences under the Wet wapens en munitie. */
export const wapenvergunningen = z.object({
  vergunningen: z
    .array(
      z.object({
        vergunningnummer: z.string().min(1).max(64),
        soort: z.string().min(1).max(100),
        status: z.enum(['verleend', 'ingetrokken', 'geweigerd', 'verlopen']),
        geldigVan: date,
        geldigTot: date,
      }),
    )
    .max(1_000),
});

type Registratie = z.infer<typeof registratie>;

/** Threat assessment is about what the person did: registrations as victim, witness or reporter stay out. */
function asActor(registraties: readonly Registratie[]): Registratie[] {
  return registraties
    .filter((r) => r.rol === 'verdachte' || r.rol === 'betrokkene')
    .sort((a, b) => b.pleegdatum.localeCompare(a.pleegdatum));
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/** The politie categories and the native documents they come from. */
export const POLITIE_MAPPINGS: PartnerMappings = {
  'politie.registraties': mapping('bvh-registraties', bvhRegistraties, (native) => {
    const mine = asActor(native.registraties);
    const latest = mine[0];
    if (latest === undefined) return undefined;
    return {
      aantal: mine.length,
      laatsteDatum: latest.pleegdatum,
      soorten: [...new Set(mine.map((r) => r.maatschappelijkeClassificatie.omschrijving))],
      samenvatting: latest.korteOmschrijving,
    };
  }),
  'politie.dreigingsmeldingen': mapping('bvh-registraties', bvhRegistraties, (native) => {
    const meldingen = asActor(native.registraties).flatMap((r) =>
      r.bedreiging === undefined
        ? []
        : [
            {
              datum: r.pleegdatum,
              bedreigdeCategorie: r.bedreiging.bedreigdeCategorie,
              samenvatting: r.korteOmschrijving,
            },
          ],
    );
    return meldingen.length === 0 ? undefined : { meldingen };
  }),
  'politie.wapenvergunning': mapping('wapenvergunningen', wapenvergunningen, (native, now) => {
    const day = today(now);
    // Only a licence granted and inside its validity counts: a revoked or expired one is no licence.
    const valid = native.vergunningen
      .filter((v) => v.status === 'verleend' && v.geldigVan <= day && day <= v.geldigTot)
      .sort((a, b) => b.geldigTot.localeCompare(a.geldigTot));
    const first = valid[0];
    return first === undefined
      ? { heeftVergunning: false }
      : { heeftVergunning: true, soort: first.soort, geldigTot: first.geldigTot };
  }),
};

/**
 * The politie's adapter over its native exports (the transport is injected).
 *
 * @example createPolitieAdapter({ transport: referenceTransport })
 */
export function createPolitieAdapter(options: PartnerAdapterOptions): Adapter {
  return createMappedAdapter(POLITIE_MAPPINGS, options);
}
