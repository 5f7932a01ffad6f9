import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Tests start the CLI from dist/ (test/helpers/built-cli.ts); this rebuilds it when src/ is newer.
    globalSetup: ['test/helpers/build-dist.ts'],
    // gitlab-ci-local spawns processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
