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
/** A calendar date, YYYY-MM-DD, in years 1 to 9999 (PostgreSQL refuses year 0, and indicators cast it to a date). */
export const dateSchema = z.iso.date().refine((date) => !date.startsWith('0000-'), {
  message: 'must be a date in the years 1 to 9999',
});

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Whether an instant falls in the years 1 to 9999 in UTC: PostgreSQL refuses year 0 and the
 * six-digit years of toISOString() beyond, so anything outside would fail at the database.
 */
export function isStorableInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= FIRST_INSTANT && time <= LAST_INSTANT;
}

/**
 * A date-time with an offset, at most millisecond precision (what a Date keeps), in the years 1 to
 * 9999 in UTC. A longer fraction is refused: nine digits there read as a BSN to the log's guard.
 */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .regex(/^[^.]+(?:\.\d{1,3})?(?:Z|[+-]\d\d:\d\d)$/, 'must have at most three fractional digits')
  .refine((text) => isStorableInstant(new Date(text)), { message: 'must fall in the years 1 to 9999 (UTC)' })
  .meta({
    format: 'date-time',
    description: 'A date-time with an offset, at most milliseconds, in the years 1 to 9999 (UTC).',
  });
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
