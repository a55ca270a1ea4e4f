// Demo cases and consents for `schakel serve` on an empty demo database, made through the real services (logged like any traffic).
import type { Kysely } from 'kysely';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import type { Caller } from '../cases/caller.ts';
import type { FlowServices } from '../flow.ts';
import type { Database } from '../store/schema.ts';

const regisseur: Caller = {
  partner: { id: 'demo-politie', kind: 'politie' },
  user: { id: 'demo-seed-regisseur', role: 'casusregisseur' },
};
const behandelaar: Caller = {
  partner: { id: 'demo-ggz', kind: 'ggz' },
  user: { id: 'demo-seed-behandelaar', role: 'behandelaar' },
};

/** What was seeded. */
export interface DemoSeed {
  readonly caseId: string;
  readonly consentId: string;
}

/**
 * On a demo database without cases: one case about the fictitious demo person (BSN 111222333, for
 * whom the simulated sources hold records) opened by the national team's casusregisseur, with the
 * GGZ behandelaar, the OM officier and the Veiligheidshuis procesregisseur as members and the
 * inclusion decision taken; and a consent the GGZ recorded for that person (the police may learn of
 * a compulsory-care measure, for risicotaxatie, for a year). Every step goes through the
 * case and consent services, so it is validated and logged as partner traffic is. Does nothing when
 * a case exists (the next start reuses the data).
 *
 * @example const seeded = await seedDemoCases(store.db, flow.services);
 */
export async function seedDemoCases(
  db: Kysely<Database>,
  services: Pick<FlowServices, 'cases' | 'consents'>,
  now: () => Date = () => new Date(),
): Promise<DemoSeed | undefined> {
  const existing = await db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return undefined;
  const opened = await services.cases.open(regisseur, {
    bsn: DEMO_BSN,
    melding: {
      bron: 'demo-politie',
      eenheid: 'Landelijk Team Dreigingsmanagement',
      regio: 'Midden-Nederland',
      kanaal: 'rik',
      bedreigdeCategorie: 'minister_president',
      dreigerType: 'gefixeerd',
    },
  });
  for (const [partner, role] of [
    ['demo-ggz', 'behandelaar'],
    ['demo-om', 'officier'],
    ['demo-veiligheidshuis', 'procesregisseur'],
  ] as const) {
    await services.cases.addMember(regisseur, opened.id, { partner, role });
  }
  await services.cases.recordEvent(regisseur, opened.id, {
    type: 'inclusiebesluit',
    data: { besluit: 'in' },
  });
  const from = now();
  const consent = await services.consents.record(behandelaar, {
    subject: { bsn: DEMO_BSN },
    grantedBy: 'betrokkene',
    evidence: 'demo: fictief toestemmingsformulier',
    recipients: ['politie'],
    purposes: ['risicotaxatie'],
    categories: ['ggz.zorgmaatregel'],
    validFrom: new Date(from.getTime() - 60_000).toISOString(),
    validUntil: new Date(from.getTime() + 365 * 86_400_000).toISOString(),
  });
  return { caseId: opened.id, consentId: consent.id };
}
