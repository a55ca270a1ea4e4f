// Registry rows for tests: one partner of each kind, as the demo seeds them.
import type { Kysely } from 'kysely';
import type { Database, PartnerKind } from '../../broker/store/schema.ts';

export const TEST_PARTNERS: readonly {
  id: string;
  kind: PartnerKind;
  identifier: string;
  unit: string;
  national: boolean;
}[] = [
  {
    id: 'demo-politie',
    kind: 'politie',
    identifier: '00000001003214345000',
    unit: 'landelijk-team',
    national: true,
  },
  { id: 'demo-dkdb', kind: 'dkdb', identifier: '00000001003214345000', unit: 'dkdb', national: false },
  { id: 'demo-ggz', kind: 'ggz', identifier: '12345678', unit: '', national: false },
  { id: 'demo-om', kind: 'om', identifier: '00000001003218839000', unit: '', national: false },
  { id: 'demo-kmar', kind: 'kmar', identifier: '00000001003219055000', unit: '', national: false },
  { id: 'demo-aivd', kind: 'aivd', identifier: '00000001003219187000', unit: '', national: false },
  {
    id: 'demo-veiligheidshuis',
    kind: 'veiligheidshuis',
    identifier: '00000001003219299000',
    unit: '',
    national: false,
  },
];

export async function insertTestPartners(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('partners')
    .values(
      TEST_PARTNERS.map((p) => ({
        id: p.id,
        kind: p.kind,
        identifier_type: p.kind === 'ggz' ? ('ura' as const) : ('oin' as const),
        identifier: p.identifier,
        unit: p.unit,
        organisation: p.id,
        national: p.national,
        token_jwks: null,
      })),
    )
    .execute();
}
