import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The JSON report lets .ci/run print vitest's own pass/fail counts.
    reporters: ['default', 'json'],
    outputFile: { json: './reports/vitest.json' },
    testTimeout: 30_000,
    pool: 'forks',
  },
});
