import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: limits only catch hangs. Tests wait on events, never on the clock; on a loaded 2-core
    // machine a test that starts a few processes takes several times its quiet-machine time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CLI end-to-end tests start real processes; two cores: keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
