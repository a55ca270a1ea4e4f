// OM: case and verdict records (parketnummer, feiten, fase, afdoening) mapped to the om.* categories.
import { z } from 'zod';
import type { Adapter } from '../contract.ts';
import { createMappedAdapter, mapping, type PartnerAdapterOptions, type PartnerMappings } from '../native.ts';

const date = z.iso.date();

/** One criminal case (strafzaak) of the OM's case system, with its disposal once decided. */
const zaak = z.object({
  parketnummer: z.string().regex(/^\d{2}-\d{6}-\d{2}$/),
  arrondissement: z.string().min(1).max(100),
  feiten: z
    .array(
      z.object({ omschrijving: z.string().min(1).max(500), wetsartikel: z.string().max(100).optional() }),
    )
    .min(1)
    .max(100),
  fase: z.enum(['instroom', 'onderzoek', 'vervolging', 'zitting', 'hoger_beroep', 'afgedaan']),
  afdoening: z
    .object({
      soort: z.enum([
        'veroordeling',
        'strafbeschikking',
        'vrijspraak',
        'sepot',
        'ontslag_van_rechtsvervolging',
      ]),
      datum: date,
      straf: z.string().max(200).optional(),
      bijzondereVoorwaarden: z
        .object({
          voorwaarden: z.array(z.string().min(1).max(500)).min(1).max(50),
          toezichthouder: z.string().min(1).max(100),
          einddatum: date,
        })
        .optional(),
    })
    .optional(),
});

/** Native document `om-zaken`: `{"zaken": [zaak, ...]}`. */
export const omZaken = z.object({ zaken: z.array(zaak).max(10_000) });

type Zaak = z.infer<typeof zaak>;

/** Judicial documentation counts convictions and penalty orders; acquittals and dismissals are no record. */
const counts = (z: Zaak) =>
  z.fase === 'afgedaan' &&
  (z.afdoening?.soort === 'veroordeling' || z.afdoening?.soort === 'strafbeschikking');

/** The OM categories, all from the one `om-zaken` document. */
export const OM_MAPPINGS: PartnerMappings = {
  'om.strafzaken': mapping('om-zaken', omZaken, (native) => {
    const lopend = native.zaken
      .filter((z) => z.fase !== 'afgedaan')
      .map((z) => ({ feit: z.feiten[0]?.omschrijving, fase: z.fase, parket: z.arrondissement }));
    return lopend.length === 0 ? undefined : { lopend };
  }),
  'om.justitiele_documentatie': mapping('om-zaken', omZaken, (native) => {
    const veroordelingen = native.zaken.filter(counts).map((z) => ({
      feit: z.feiten[0]?.omschrijving,
      jaar: Number(z.afdoening?.datum.slice(0, 4)),
      straf: z.afdoening?.straf ?? z.afdoening?.soort,
    }));
    return { aantalVeroordelingen: veroordelingen.length, veroordelingen };
  }),
  'om.bijzondere_voorwaarden': mapping('om-zaken', omZaken, (native, now) => {
    const day = now.toISOString().slice(0, 10);
    const current = native.zaken
      .flatMap((z) => (z.afdoening?.bijzondereVoorwaarden ? [z.afdoening.bijzondereVoorwaarden] : []))
      .filter((v) => v.einddatum >= day)
      .sort((a, b) => b.einddatum.localeCompare(a.einddatum))[0];
    return current === undefined
      ? undefined
      : { voorwaarden: current.voorwaarden, toezichtDoor: current.toezichthouder, tot: current.einddatum };
  }),
};

/**
 * The OM's adapter over its native case records (the transport is injected).
 *
 * @example createOmAdapter({ transport })
 */
export function createOmAdapter(options: PartnerAdapterOptions): Adapter {
  return createMappedAdapter(OM_MAPPINGS, options);
}
