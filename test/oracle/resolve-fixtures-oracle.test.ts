/**
 * The resolve fixtures (test/fixtures/resolve, configurations written by others and GitLab's
 * rejections) put to gitlab-ci-local too: where it reaches GitLab's verdict, ours must be the
 * same; where it does not, the case is listed below with the GitLab source that settles it, and
 * our engine follows GitLab (test/ci/resolve-fixtures.test.ts pins GitLab's answer). A listed case
 * that starts to agree fails here, so the list stays true.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OracleError, oraclePipeline } from './gitlab-ci-local.js';
import { fixtureMetadataFiles, loadOracleFixture } from './oracle-fixtures.js';
import { ourPipeline } from './our-engine.js';

const root = join(import.meta.dirname, '../fixtures/resolve');
const ignore = [...fixtureMetadataFiles, 'expected.yml', 'expected-error.txt'];

/** Cases where gitlab-ci-local 4.72 departs from GitLab, and why GitLab's answer is ours. */
const gitlabCiLocalDiffers: Readonly<Record<string, string>> = {
  'needs-matrix-instance':
    'gitlab-ci-local names matrix instances `build: [alpine,amd64]`; GitLab joins the values with ", " (config/normalizer/matrix_strategy.rb #name), so `needs: ["build: [alpine, amd64]"]` is found there',
  'needs-parallel-matrix-unknown-identifier':
    "gitlab-ci-local ignores a need's parallel:matrix; GitLab expands it (config/normalizer.rb expand_needs) and finds no `build: [windows]`",
  'needs-cycle-in-stage': 'gitlab-ci-local accepts needs that loop within a stage; GitLab rejects them (yaml_processor/dag.rb check_circular_dependencies!)',
  'needs-duplicated': 'gitlab-ci-local accepts a job needed twice; GitLab rejects it (yaml_processor.rb validate_needs_specification!)',
  'needs-self': 'gitlab-ci-local accepts a job that needs itself; GitLab rejects it (yaml_processor/dag.rb "self-dependency")',
  'only-refs-regex-branch': 'gitlab-ci-local does not evaluate only/except (build/policy/refs.rb)',
  'only-refs-regex-merge-request': 'gitlab-ci-local does not evaluate only/except (build/policy/refs.rb)',
  'spec-inputs-value-boolean': 'gitlab-ci-local does not validate spec:inputs entries (config/header/input.rb: a hash)',
  'spec-inputs-value-number': 'gitlab-ci-local does not validate spec:inputs entries (config/header/input.rb: a hash)',
  'spec-inputs-value-string': 'gitlab-ci-local does not validate spec:inputs entries (config/header/input.rb: a hash)',
};

type Verdict = { readonly accepted: false } | { readonly accepted: true; readonly jobs: readonly string[] };

/** Whether a pipeline is accepted and, if so, each job's name, when and allow_failure. */
function jobsOf(jobs: readonly { name: string; when: string; allowFailure: boolean }[]): string[] {
  return jobs.map((job) => `${job.name} ${job.when} allow_failure=${String(job.allowFailure)}`).sort();
}

async function theirs(name: string): Promise<Verdict> {
  const fixture = await loadOracleFixture(name, root);
  try {
    return { accepted: true, jobs: jobsOf((await oraclePipeline(fixture.dir, fixture.context, { ignore })).jobs) };
  } catch (error) {
    if (error instanceof OracleError) return { accepted: false };
    throw error;
  }
}

async function ours(name: string): Promise<Verdict> {
  const fixture = await loadOracleFixture(name, root);
  if (existsSync(join(fixture.dir, 'expected-error.txt'))) {
    await expect(ourPipeline(fixture.dir, fixture.context, ignore)).rejects.toThrow();
    return { accepted: false };
  }
  return { accepted: true, jobs: jobsOf((await ourPipeline(fixture.dir, fixture.context, ignore)).jobs) };
}

describe('resolve fixtures: gitlab-ci-local reaches the same verdict, or the difference is listed', () => {
  const names = readdirSync(root).sort();
  it('lists only existing cases', () => {
    for (const name of Object.keys(gitlabCiLocalDiffers)) expect(names).toContain(name);
  });
  it.each(names)('%s', async (name) => {
    const [oracle, engine] = [await theirs(name), await ours(name)];
    if (name in gitlabCiLocalDiffers) expect(oracle, gitlabCiLocalDiffers[name]).not.toEqual(engine);
    else expect(engine).toEqual(oracle);
  });
});
