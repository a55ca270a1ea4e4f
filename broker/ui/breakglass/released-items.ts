// What each break-glass request released: its items' categories, holders and outcomes (never the data).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

/** One item of a break-glass request. */
export interface ReleasedItem {
  readonly category: string;
  readonly holder: string;
  /** The holder partner's kind: an AIVD item is confidential processing (rule 4). */
  readonly holderKind: string;
  readonly outcome: string;
}

/** Reads the items of the given requests, grouped by request id. */
export function releasedItemsReader(db: Kysely<Database>) {
  return async function releasedItems(requestIds: readonly string[]): Promise<Map<string, ReleasedItem[]>> {
    const byRequest = new Map<string, ReleasedItem[]>();
    if (requestIds.length === 0) return byRequest;
    const rows = await db
      .selectFrom('request_items')
      .innerJoin('partners', 'partners.id', 'request_items.holder_partner_id')
      .select([
        'request_items.request_id',
        'request_items.category',
        'request_items.holder_partner_id',
        'partners.kind as holder_kind',
        'request_items.outcome',
      ])
      .where('request_items.request_id', 'in', [...requestIds])
      .orderBy('request_items.request_id')
      .orderBy('request_items.idx')
      .execute();
    for (const row of rows) {
      const list = byRequest.get(row.request_id) ?? [];
      list.push({
        category: row.category,
        holder: row.holder_partner_id,
        holderKind: row.holder_kind,
        outcome: row.outcome,
      });
      byRequest.set(row.request_id, list);
    }
    return byRequest;
  };
}
