import { defineConfig } from 'vitest/config';

/**
 * Tests that put a machine under load (a flood at several times a responder's capacity, a
 * dispatcher failover, several worker processes) run after everything else, one file at a
 * time: beside them, other tests' sockets would lose datagrams to full loopback buffers.
 */
const LOAD_TESTS = [
  'test/cli/overload.test.ts',
  'test/cli/workers.test.ts',
  'test/deploy/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // The JSON report lets .ci/run print vitest's own pass/fail counts.
    reporters: ['default', 'json'],
    outputFile: { json: './reports/vitest.json' },
    testTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: LOAD_TESTS },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: LOAD_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
