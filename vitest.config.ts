import { defineConfig } from 'vitest/config';
import { trainingNodeFlags } from './main/node-runtime';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests that train in their own process do so as nnlab's training worker does: with the fused kernels.
    execArgv: trainingNodeFlags(),
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
