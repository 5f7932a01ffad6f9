import { defineConfig } from 'vitest/config';
import { HeavyFirstSequencer } from './test/helpers/heavy-first-sequencer.js';

/**
 * Tests of the pure core (STYLE §2: no fs, process or network in src/ci, policies, compose, gating):
 * data in, data out, no msw server, no environment or module mocks. Their files share one module
 * graph per worker (`isolate: false`), which saves re-importing the same sources for every file
 * (about 45% of their CPU time); nothing they touch outlives a test.
 */
const PURE_CORE = ['test/ci/**/*.test.ts', 'test/policies/**/*.test.ts', 'test/compose/**/*.test.ts', 'test/gating/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // gitlab-ci-local spawns processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // Tests start the CLI from dist/ (test/helpers/built-cli.ts); this rebuilds it when src/ is newer.
    globalSetup: ['test/helpers/build-dist.ts'],
    // The longest files first, so both workers stay busy to the end (clean checkouts have no timing cache).
    sequence: { sequencer: HeavyFirstSequencer },
    projects: [
      { extends: true, test: { name: 'core', include: PURE_CORE, isolate: false } },
      { extends: true, test: { name: 'io', include: ['test/**/*.test.ts'], exclude: PURE_CORE } },
    ],
  },
});
