import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // gitlab-ci-local spawns processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
