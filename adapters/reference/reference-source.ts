// SIMULATOR: an in-process reference source holding demo records per BSN, standing in for partner systems
// that are not reachable here. It is used for demo data and tests only; production wires adapters/http.ts.
import type { Adapter, AdapterAnswer } from '../contract.ts';

/** Records by BSN, then by category. */
export type ReferenceData = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>
>;

/** A simulated source answering from fixed data. */
export function createReferenceAdapter(categories: readonly string[], data: ReferenceData): Adapter {
  return {
    categories,
    fetch(query): Promise<AdapterAnswer> {
      const record = data[query.bsn]?.[query.category];
      return Promise.resolve(record === undefined ? { status: 'not_found' } : { status: 'found', record });
    },
  };
}
