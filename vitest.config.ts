import { defineConfig } from 'vitest/config';

// One run for the whole workspace. Every test file that touches PostgreSQL or NATS
// creates its own database and its own JetStream server, so files run in parallel safely.
export default defineConfig({
  test: {
    // Services run from their bundles (services/<name>/dist), built here once per run.
    globalSetup: ['deploy/build/global-setup.ts'],
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'e2e/src/**/*.test.ts',
      // The console in a real browser (Debian's Chromium) against the whole stack.
      'services/console/e2e/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
