// Vitest: one run for unit, integration (real TLS, PGlite, PostgreSQL when configured) and e2e tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/support/global-setup.ts'],
    reporters: ['default'],
  },
});
