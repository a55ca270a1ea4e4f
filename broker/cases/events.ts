// Structured case events: one schema per type (DOMAIN.md "Case events"), who may record each, and the phase it leads to.
import { z } from 'zod';
import {
  BEDREIGDE_CATEGORIEEN,
  EXCLUSIE_REDENEN,
  INCIDENT_SOORTEN,
  INTERVENTIES,
  NIVEAUS,
  SLUITREDENEN,
  ZORGSTATUS,
  dateSchema,
  meldingSchema,
  partnerIdSchema,
  shortText,
  toelichting,
  type Phase,
} from './vocabulary.ts';

const strict = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, toelichting }).strict();

/** The `data` schema of every event type. */
export const EVENT_SCHEMAS = {
  melding_ontvangen: meldingSchema,
  inclusiebesluit: strict({
    besluit: z.enum(['in', 'uit']),
    redenCode: z.enum(EXCLUSIE_REDENEN).optional(),
  }).refine((d) => d.besluit === 'in' || d.redenCode !== undefined, {
    message: 'redenCode is required when besluit is "uit"',
    path: ['redenCode'],
  }),
  risicotaxatie_afgerond: strict({
    instrument: shortText,
    intentie: z.enum(NIVEAUS),
    potentie: z.enum(NIVEAUS),
    concreetheid: z.enum(NIVEAUS),
    zorgniveau: z.enum(NIVEAUS),
    volgendeBeoordeling: dateSchema,
  }),
  aanpak_gepland: strict({
    leadPartner: partnerIdSchema,
    interventies: z.array(z.enum(INTERVENTIES)).min(1),
  }),
  aanpak_geaccepteerd: strict({ partner: partnerIdSchema }),
  aanpak_geweigerd: strict({ partner: partnerIdSchema, redenCode: shortText }),
  actie_afgesproken: strict({ actieId: shortText, eigenaar: partnerIdSchema, deadline: dateSchema }),
  actie_afgerond: strict({ actieId: shortText }),
  interventie_gestart: strict({ soort: z.enum(INTERVENTIES) }),
  interventie_beeindigd: strict({ soort: z.enum(INTERVENTIES) }),
  zorgstatus_gewijzigd: strict({ van: z.enum(ZORGSTATUS), naar: z.enum(ZORGSTATUS) }),
  dreigingsniveau_gewijzigd: strict({ van: z.enum(NIVEAUS), naar: z.enum(NIVEAUS) }),
  incident_gemeld: strict({
    soort: z.enum(INCIDENT_SOORTEN),
    bedreigdeCategorie: z.enum(BEDREIGDE_CATEGORIEEN),
  }),
  beveiligingsadvies_gegeven: strict({ aan: partnerIdSchema }),
  monitoringscontact: strict({ door: partnerIdSchema, uitkomst: shortText }),
  terugkoppeling_gegeven: strict({ aan: partnerIdSchema }),
  zaak_gesloten: strict({ redenCode: z.enum(SLUITREDENEN) }),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** Events recorded through the API; `melding_ontvangen` is recorded by the broker when a case opens. */
export const RECORDABLE_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'melding_ontvangen');

/**
 * Events that carry medical facts: only GGZ members read them (side channels), indicators use them
 * only in aggregate.
 */
export const MEDICAL_EVENT_TYPES: ReadonlySet<EventType> = new Set(['zorgstatus_gewijzigd']);

/** Who may record an event beyond plain membership (DOMAIN.md "Who may do what"). */
export type EventPermission = 'member' | 'lead' | 'ggz_member';
export function eventPermission(type: EventType): EventPermission {
  if (type === 'inclusiebesluit' || type === 'zaak_gesloten') return 'lead';
  if (type === 'zorgstatus_gewijzigd') return 'ggz_member';
  return 'member';
}

/**
 * The phase a case enters after an event, or undefined when the event leaves it where it is.
 * A closed case stays closed.
 */
export function phaseAfter(
  current: Phase,
  type: EventType,
  data: Record<string, unknown>,
): Phase | undefined {
  if (current === 'gesloten') return undefined;
  switch (type) {
    case 'inclusiebesluit':
      return data.besluit === 'in' ? (current === 'melding' ? 'informatie' : undefined) : 'gesloten';
    case 'aanpak_gepland':
      return current === 'melding' || current === 'informatie' ? 'aanpak' : undefined;
    case 'aanpak_geaccepteerd':
      return current === 'aanpak' ? 'monitoring' : undefined;
    case 'zaak_gesloten':
      return 'gesloten';
    default:
      return undefined;
  }
}
