// The reference transport: a holder's records as delivered in an extract and kept in the broker's own database.
import { type Adapter, type AdapterAnswer, AdapterUnavailableError, parseAnswer } from '../contract.ts';

/** What the adapter needs from the store (broker/store/reference-records.ts implements it). */
export interface ReferenceRecordReader {
  find(
    holder: string,
    category: string,
    pseudonyms: readonly string[],
  ): Promise<Readonly<Record<string, unknown>> | undefined>;
}

export interface ReferenceStoreAdapterOptions {
  readonly holder: string;
  readonly categories: readonly string[];
  readonly records: ReferenceRecordReader;
  /** The subject's pseudonyms under every key: the BSN itself never reaches the store. */
  readonly pseudonyms: (bsn: string) => readonly string[];
}

/**
 * A holder's source over the reference store. `not_found` means the holder's latest extract has
 * no record of this person in this category. A store failure rejects (the broker answers `error`).
 *
 * @example createReferenceStoreAdapter({ holder: 'demo-om', categories, records, pseudonyms: (b) => p.candidates(b) })
 */
export function createReferenceStoreAdapter(options: ReferenceStoreAdapterOptions): Adapter {
  return {
    categories: options.categories,
    async fetch(query): Promise<AdapterAnswer> {
      if (!options.categories.includes(query.category)) {
        throw new AdapterUnavailableError('no reference records are configured for this category');
      }
      const record = await options.records.find(
        options.holder,
        query.category,
        options.pseudonyms(query.bsn),
      );
      // The stored record passed the same check at import; checking again keeps a tampered row out.
      return record === undefined ? { status: 'not_found' } : parseAnswer({ status: 'found', record });
    },
  };
}
