// `schakel db migrate`: apply pending migrations to the configured database.
import { parseArgs } from 'node:util';
import { EXIT_OK, type Command } from './command.ts';
import { loadRuntimeConfig, openConfiguredStore } from '../main.ts';
import { migrate } from '../store/database.ts';

export const dbMigrateCommand: Command = {
  path: ['db', 'migrate'],
  summary: 'apply pending database migrations',
  help: `Usage: schakel db migrate

Applies every pending migration to the configured database (SCHAKEL_DATABASE_URL, or the embedded
PGlite database under SCHAKEL_DATA_DIR/db) and prints what it applied. \`schakel serve\` migrates on
start too; run this before rolling out a new version to several replicas.`,
  async run(args) {
    parseArgs({ args: [...args], options: {}, strict: true });
    const store = await openConfiguredStore(loadRuntimeConfig());
    try {
      const result = await migrate(store.db);
      const applied = (result.results ?? [])
        .filter((r) => r.status === 'Success')
        .map((r) => r.migrationName);
      console.log(applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
