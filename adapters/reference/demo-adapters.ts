// SIMULATOR wiring: every demo holder answers from the fictitious demo data. Used only with SCHAKEL_DEMO.
import type { Adapter } from '../contract.ts';
import { DEMO_DATA } from './demo-data.ts';
import { createReferenceAdapter } from './reference-source.ts';

/** Maps each holder partner to a reference adapter for the categories its kind holds. */
export function createDemoAdapters(
  partners: readonly { id: string; kind: string }[],
  categories: Readonly<Record<string, { holder_kind: string }>>,
): (holderPartnerId: string) => Adapter | undefined {
  const byPartner = new Map<string, Adapter>();
  for (const partner of partners) {
    const held = Object.entries(categories)
      .filter(([, c]) => c.holder_kind === partner.kind)
      .map(([name]) => name);
    if (held.length > 0) byPartner.set(partner.id, createReferenceAdapter(held, DEMO_DATA));
  }
  return (id) => byPartner.get(id);
}
