// Opens the configured database (migrated) and hands the registry to a CLI command, closing it after.
import { createRuntimeLogger, loadRuntimeConfig, openConfiguredStore, openRegistry } from '../main.ts';
import { migrate } from '../store/database.ts';
import type { Registry } from '../identity/registry.ts';

/** Runs `work` against the configured registry and closes the database afterwards. */
export async function withRegistry<T>(work: (registry: Registry) => Promise<T>): Promise<T> {
  const config = loadRuntimeConfig();
  const store = await openConfiguredStore(config);
  try {
    await migrate(store.db);
    return await work(openRegistry(store, createRuntimeLogger(config)));
  } finally {
    await store.close();
  }
}
