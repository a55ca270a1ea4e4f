// `schakel indicators`: compute the evaluation indicators for a window and print them as JSON or CSV.
import { parseArgs } from 'node:util';
import { UsageError, ValidationError } from '../errors.ts';
import {
  computeIndicators,
  extractionConnections,
  loadCatalogue,
  parseIndicatorQuery,
  reportToCsv,
} from '../indicators/index.ts';
import { loadRuntimeConfig, openConfiguredStore } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const indicatorsCommand: Command = {
  path: ['indicators'],
  summary: 'compute the 25 evaluation indicators (JSON or CSV)',
  help: `Usage: schakel indicators --from DATE --to DATE [--period month|quarter|year] [--format json|csv]
                          [--catalogue DIR]

Computes every indicator of the catalogue for each period from --from through --to (dates
YYYY-MM-DD, both inclusive, Dutch calendar) and prints the table to stdout. Cells describing
fewer than k persons (SCHAKEL_INDICATORS_K, at least 5) read "<k".

  --period     month (default), quarter or year
  --format     json (default) or csv (UTF-8 with BOM, one row per indicator x period x breakdown)
  --catalogue  a catalogue folder to use instead of the shipped one (see broker/indicators/README.md)

Exit 0 on success; 2 on usage errors or an invalid catalogue.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        period: { type: 'string' },
        format: { type: 'string' },
        catalogue: { type: 'string' },
      },
      strict: true,
    });
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError('--format takes json or csv');
    if (values.from === undefined || values.to === undefined)
      throw new UsageError('--from and --to are required');
    let query;
    try {
      query = parseIndicatorQuery({ from: values.from, to: values.to, period: values.period });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new UsageError((error.errors ?? []).map((e) => `--${e.field}: ${e.message}`).join('; '));
    }
    const catalogue = loadCatalogue(...(values.catalogue === undefined ? [] : [values.catalogue]));
    const config = loadRuntimeConfig();
    const store = await openConfiguredStore(config);
    try {
      const report = await computeIndicators(
        {
          db: store.db,
          catalogue,
          k: config.indicators.k,
          connections: extractionConnections(config.database),
        },
        query,
      );
      process.stdout.write(format === 'csv' ? reportToCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
