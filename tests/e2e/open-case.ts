// Opens a case as the national team's casusregisseur through the API and includes it, as most request tests start.
import type { Session } from './partner-client.ts';

/** The melding every such test case starts from (a threat against the prime minister, reported by the police). */
export const TEST_MELDING = {
  bron: 'demo-politie',
  eenheid: 'LT',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
} as const;

/**
 * Opens a case on `bsn`, adds `behandelaar` (a GGZ partner) as its treating member when given, and
 * records the inclusion decision, so requests are possible. Throws naming the step that failed.
 *
 * @example const caseId = await openIncludedCase(clients.as('demo-politie', 'casusregisseur'), BSN, 'demo-ggz');
 */
export async function openIncludedCase(
  regisseur: Session,
  bsn: string,
  behandelaar?: string,
): Promise<string> {
  const opened = await regisseur.post('/v1/cases', { subject: { bsn }, melding: TEST_MELDING });
  if (opened.status !== 201) throw new Error(`cannot open the case: ${opened.raw}`);
  const id = opened.body.id as string;
  if (behandelaar !== undefined) {
    const member = await regisseur.post(`/v1/cases/${id}/members`, {
      partner: behandelaar,
      role: 'behandelaar',
    });
    if (member.status !== 201) throw new Error(`cannot add the behandelaar: ${member.raw}`);
  }
  const included = await regisseur.post(`/v1/cases/${id}/events`, {
    type: 'inclusiebesluit',
    data: { besluit: 'in' },
  });
  if (included.status !== 201) throw new Error(`cannot include the case: ${included.raw}`);
  return id;
}
