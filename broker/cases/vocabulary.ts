// The case vocabularies of DOMAIN.md: codes the indicators count, kept in one place.
import { z } from 'zod';
import { holdsBsn, NO_BSN } from './bsn.ts';

export const PHASES = ['melding', 'informatie', 'aanpak', 'monitoring', 'gesloten'] as const;
export type Phase = (typeof PHASES)[number];

export const KANALEN = ['rik', 'kmar_meldpunt', 'dkdb_meldpunt', 'derden', 'anders'] as const;
export const BEDREIGDE_CATEGORIEEN = [
  'koninklijk_huis',
  'minister_president',
  'politiek_ambtsdrager',
  'overig_publiek',
] as const;
export const DREIGER_TYPES = [
  'verward',
  'gefixeerd',
  'besluit_gerelateerd',
  'crimineel',
  'onbekend',
] as const;
export const EXCLUSIE_REDENEN = [
  'geen_fixatie',
  'geen_psychische_problematiek',
  'doelwit_buiten_scope',
  'onvoldoende_informatie',
  'anders',
] as const;
export const NIVEAUS = ['laag', 'midden', 'hoog'] as const;
export const INTERVENTIES = [
  'bemoeizorg',
  'ambulante_zorg',
  'opname',
  'zorgmachtiging',
  'strafrechtelijk',
  'beveiligingsmaatregel',
  'gesprek',
  'anders',
] as const;
export const ZORGSTATUS = ['niet_in_zorg', 'in_zorg'] as const;
export const INCIDENT_SOORTEN = ['dreiging', 'nadering', 'geweld'] as const;
export const SLUITREDENEN = [
  'dreiging_weggenomen',
  'dreiging_hanteerbaar',
  'overgedragen',
  'buiten_scope',
  'overleden_of_vertrokken',
  'anders',
] as const;

/** A partner id as the registry writes it. */
export const partnerIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a registered partner id')
  .refine((id) => !holdsBsn(id), NO_BSN);
/** A calendar date, YYYY-MM-DD. */
export const dateSchema = z.iso.date();
/** A short code or free reference (no person data expected; logged with the event, so never a BSN). */
export const shortText = z
  .string()
  .min(1)
  .max(200)
  .refine((text) => !holdsBsn(text), NO_BSN);
/** Free explanation; indicators never need it. Logged with a non-medical event, so never a BSN. */
export const toelichting = z
  .string()
  .max(2000)
  .refine((text) => !holdsBsn(text), NO_BSN)
  .optional();

/** The `melding` of DOMAIN.md's `melding_ontvangen`, sent when a case is opened. */
export const meldingSchema = z
  .object({
    bron: partnerIdSchema,
    eenheid: shortText,
    regio: shortText,
    kanaal: z.enum(KANALEN),
    bedreigdeCategorie: z.enum(BEDREIGDE_CATEGORIEEN),
    dreigerType: z.enum(DREIGER_TYPES),
    toelichting,
  })
  .strict();
export type Melding = z.infer<typeof meldingSchema>;
