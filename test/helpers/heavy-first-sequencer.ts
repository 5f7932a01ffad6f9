/**
 * Starts the longest test files first, so the two workers finish together instead of one
 * running a 30-second file alone at the end. vitest orders files by the durations it cached on
 * the last run, and without a cache (a clean checkout, as in CI) by file size, which put the
 * small but slow oracle files last. The files below go first, in this order, whatever the cache
 * says; the rest keep vitest's order. The list only orders files: a stale entry costs wall time,
 * never a result. Refresh it from `npx vitest run --reporter=json --outputFile=x.json` (each
 * file's endTime − startTime), docs/performance.md "The test suite".
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first; from a quiet run of the whole suite on 2 cores (docs/performance.md). */
export const HEAVY_FILES: readonly string[] = [
  'test/store/approval-verdicts.test.ts',
  'test/attacks/findings-store.test.ts',
  'test/cli/evaluate-store.test.ts',
  'test/fleet/audit-cli.test.ts',
  'test/cli/evaluate-store-api.test.ts',
  'test/run/enforcement.test.ts',
  'test/attacks/store-location-from-variables.test.ts',
  'test/store/sync-api.test.ts',
  'test/store/store-cli.test.ts',
  'test/oracle/resolve-fixtures-oracle.test.ts',
  'test/oracle/oracle-harness.test.ts',
  'test/attacks/approval-verdict-records.test.ts',
  'test/attacks/job-facts.test.ts',
  'test/cli/evaluate-store-mr-api.test.ts',
  'test/attacks/verify-pipeline-records.test.ts',
  'test/e2e/api-mode.test.ts',
  'test/package/package-layout.test.ts',
  'test/store/serve-store-api.test.ts',
  'test/oracle/compare.test.ts',
  'test/verify/serve-webhooks.test.ts',
  'test/http-client/timeouts.test.ts',
  'test/oracle/gitlab-ci-schema.test.ts',
  'test/attacks/cache-poisoning.test.ts',
  'test/templates/evaluate-job.test.ts',
  'test/attacks/clean-environment.test.ts',
  'test/attacks/pre-stage-failure.test.ts',
];

export class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return orderHeavyFirst(await super.sort(files));
  }
}

interface SpecLike {
  readonly moduleId: string;
  readonly project: { readonly name: string };
}

/**
 * Projects still run one after the other (core, then io), as vitest orders them; within each,
 * the listed files first, and a stable sort keeps vitest's order for the others.
 */
export function orderHeavyFirst<T extends SpecLike>(sorted: readonly T[]): T[] {
  const rank = (file: T): number => {
    const index = HEAVY_FILES.findIndex((heavy) => file.moduleId.endsWith(`/${heavy}`));
    return index < 0 ? HEAVY_FILES.length : index;
  };
  const projects = [...new Set(sorted.map((file) => file.project.name))];
  return projects.flatMap((name) => sorted.filter((file) => file.project.name === name).sort((a, b) => rank(a) - rank(b)));
}
