// The database aggregation of the indicators against the reference in JavaScript (cells.ts), on every backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateAll } from '../../broker/indicators/aggregate.ts';
import { loadCatalogue } from '../../broker/indicators/catalogue.ts';
import { buildCells, type RawCell } from '../../broker/indicators/cells.ts';
import { aivdPartnerIds, observe } from '../../broker/indicators/observations.ts';
import { amsterdamMidnight, nextDay, periodLabel, periodStarts } from '../../broker/indicators/periods.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { seedHistory } from './seed.ts';

const catalogue = loadCatalogue();
const sorted = (cells: readonly RawCell[]) =>
  [...cells].sort((a, b) =>
    `${a.period}|${a.breakdown}|${a.key ?? ''}`.localeCompare(`${b.period}|${b.breakdown}|${b.key ?? ''}`),
  );

describe.each(BACKENDS)('indicator aggregation on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await seedHistory(store.db);
  }, 60_000);
  afterAll(async () => store.close());

  it.each(['month', 'quarter'] as const)(
    'gives the same cells, persons included, as the reference over the observations (%s)',
    async (period) => {
      const starts = periodStarts('2025-01-01', '2025-09-30', period);
      const values = {
        from: amsterdamMidnight('2025-01-01'),
        to: amsterdamMidnight(nextDay('2025-09-30')),
        now: new Date('2025-12-31T12:00:00Z'),
        period,
      };
      const periods = starts.map((start) => ({ start, label: periodLabel(start, period) }));
      const aggregated = await aggregateAll(store.db, catalogue.views, catalogue.indicators, values, periods);
      const aivd = await aivdPartnerIds(store.db);
      for (const definition of catalogue.indicators) {
        const observations = await observe(store.db, catalogue.views, definition, values, aivd);
        const reference = periods.flatMap(({ start, label }) =>
          buildCells(
            definition,
            label,
            observations.filter((o) => o.periodStart === start),
          ),
        );
        expect(sorted(aggregated.get(definition.id) ?? []), definition.id).toEqual(sorted(reference));
      }
    },
    60_000,
  );
});
