// SIMULATOR data through the real reference transport: the demo's fictitious records seeded into the reference store.
import { randomUUID } from 'node:crypto';
import type { Adapter } from '../contract.ts';
import { DEMO_DATA } from './demo-data.ts';
import { createReferenceStoreAdapter, type ReferenceRecordReader } from './reference-store.ts';

/** What seeding needs from the reference store (broker/store/reference-records.ts implements it). */
export interface DemoReferenceStore extends ReferenceRecordReader {
  count(holder: string): Promise<number>;
  replace(
    holder: string,
    importId: string,
    categories: readonly string[],
    rows: readonly {
      category: string;
      subjectPseudonym: string;
      record: Readonly<Record<string, unknown>>;
    }[],
  ): Promise<{ removed: number; stored: number }>;
}

export interface DemoReferenceOptions {
  readonly partners: readonly { id: string; kind: string }[];
  readonly categories: Readonly<Record<string, { holder_kind: string }>>;
  readonly store: DemoReferenceStore;
  readonly pseudonyms: { pseudonym(bsn: string): string; candidates(bsn: string): string[] };
  /** Records the seeding as an import (`reference.imported`) before the store changes. */
  readonly logImport: (holder: string, details: Readonly<Record<string, unknown>>) => Promise<unknown>;
}

/**
 * Gives every holder a reference-store adapter for the categories its kind holds, first seeding
 * the fictitious DEMO_DATA for holders that have no reference records yet (a fresh database), like
 * the other demo seeds. Used only with SCHAKEL_DEMO and no SCHAKEL_ADAPTERS_FILE.
 *
 * @example const adapters = await createDemoReferenceAdapters({ partners, categories, store, pseudonyms, logImport })
 */
export async function createDemoReferenceAdapters(
  options: DemoReferenceOptions,
): Promise<(holderPartnerId: string) => Adapter | undefined> {
  const byPartner = new Map<string, Adapter>();
  for (const partner of options.partners) {
    const held = Object.entries(options.categories)
      .filter(([, c]) => c.holder_kind === partner.kind)
      .map(([name]) => name);
    if (held.length === 0) continue;
    if ((await options.store.count(partner.id)) === 0) {
      const rows = Object.entries(DEMO_DATA).flatMap(([bsn, records]) =>
        held.flatMap((category) => {
          const record = records[category];
          return record === undefined
            ? []
            : [{ category, subjectPseudonym: options.pseudonyms.pseudonym(bsn), record }];
        }),
      );
      const importId = randomUUID();
      await options.logImport(partner.id, {
        importId,
        categories: held,
        records: rows.length,
        source: 'demo',
      });
      await options.store.replace(partner.id, importId, held, rows);
    }
    byPartner.set(
      partner.id,
      createReferenceStoreAdapter({
        holder: partner.id,
        categories: held,
        records: options.store,
        pseudonyms: (bsn) => options.pseudonyms.candidates(bsn),
      }),
    );
  }
  return (id) => byPartner.get(id);
}
