// vitest settings (kept in test/ so the top level stays as fixed). The JSON report feeds .ci/run's closing "N passed, N failed" line.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: browser tests each start a server and a Chromium, so files run two at a time at most.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test/results/vitest.json' }]],
  },
});
