/**
 * Self-tests of the gitlab-ci-local oracle. Each fixture's answer is pinned in
 * `expected-oracle.json` (regenerate with UPDATE_GOLDENS=1 and review the diff); a few cases
 * also assert the GitLab behaviour they exist for, so a wrong golden cannot pass unnoticed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OracleError,
  oracleJobs,
  oraclePipeline,
  type OracleContext,
  type OracleJob,
  type OraclePipeline,
} from './gitlab-ci-local.js';
import { fixtureMetadataFiles, listOracleFixtures, loadOracleFixture } from './oracle-fixtures.js';

const updateGoldens = process.env['UPDATE_GOLDENS'] === '1';
const fixtures = await listOracleFixtures();

// One gitlab-ci-local run per fixture for this file: the golden test and the behaviour checks
// below read the same pipeline (each starts it when it runs first, so any one runs alone).
const runs = new Map<string, Promise<OraclePipeline>>();

function runFixture(name: string): Promise<OraclePipeline> {
  let run = runs.get(name);
  if (run === undefined) {
    run = loadOracleFixture(name).then((fixture) => oraclePipeline(fixture.dir, fixture.context, { ignore: fixtureMetadataFiles }));
    runs.set(name, run);
  }
  return run;
}

function job(pipeline: OraclePipeline, name: string): OracleJob | undefined {
  return pipeline.jobs.find((entry) => entry.name === name);
}

describe('oracle fixtures match their reviewed answers', () => {
  it('has between 10 and 20 cases', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    expect(fixtures.length).toBeLessThanOrEqual(20);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
    const pipeline = await runFixture(fixture.name);
    const actual = `${JSON.stringify(pipeline, null, 2)}\n`;
    if (updateGoldens) await writeFile(fixture.expectedPath, actual);
    expect(actual).toBe(await readFile(fixture.expectedPath, 'utf8'));
  });
});

describe('oracle corrects or flags gitlab-ci-local where it differs from GitLab', () => {
  it('drops the pipeline when workflow:rules match nothing', async () => {
    const pipeline = await runFixture('workflow-rules-filter');
    expect(pipeline).toMatchObject({ created: false, jobs: [] });
  });

  it('applies the matching workflow rule variables', async () => {
    const pipeline = await runFixture('workflow-rules-variables');
    expect(job(pipeline, 'nightly-only')?.variables).toEqual({ DEPLOY_ENV: 'nightly', KEEP: 'kept' });
  });

  it('leaves jobs without rules out of merge request pipelines', async () => {
    const pipeline = await runFixture('rules-mr-only');
    expect(pipeline.jobs.map((entry) => entry.name)).toEqual(['mr-check', 'target-main']);
    expect(job(pipeline, 'target-main')?.allowFailure).toBe(true);
  });

  it('recovers the first matching rule variables', async () => {
    const pipeline = await runFixture('variables-global-job');
    expect(job(pipeline, 'rule-variables')?.variables).toMatchObject({ SHARED: 'rule', FROM_RULE: 'yes' });
    expect(job(pipeline, 'no-globals')?.variables).toEqual({ OWN: 'own' });
    expect(job(pipeline, 'some-globals')?.variables).toEqual({ GLOBAL_A: 'a' });
  });

  it('defaults allow_failure to true for job-level manual jobs only', async () => {
    const pipeline = await runFixture('rules-when-manual');
    expect(job(pipeline, 'deploy-staging')).toMatchObject({ when: 'manual', allowFailure: true });
    expect(job(pipeline, 'deploy-prod')).toMatchObject({ when: 'manual', allowFailure: false });
  });

  it('runs tag pipelines without CI_COMMIT_BRANCH', async () => {
    const pipeline = await runFixture('tag-pipeline');
    expect(pipeline.jobs.map((entry) => entry.name)).toEqual(['build', 'release']);
  });

  it('flags only/except, which gitlab-ci-local ignores', async () => {
    const pipeline = await runFixture('only-except-legacy');
    expect(job(pipeline, 'deploy')?.ignoredKeywords).toEqual(['only']);
    expect(job(pipeline, 'build')?.ignoredKeywords).toEqual([]);
  });
});

describe('oracle failures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oracle-harness-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports gitlab-ci-local errors with its stderr', async () => {
    await writeFile(join(dir, '.gitlab-ci.yml'), 'job:\n  extends: .missing\n  script: [echo]\n');
    const failure = oracleJobs(dir, { source: 'push' });
    await expect(failure).rejects.toBeInstanceOf(OracleError);
    await expect(failure).rejects.toThrow(/\.missing is unspecified, used by job extends/);
  });
});

describe('oracle on the example workspace (include:project from a seeded cache)', () => {
  const workspace = fileURLToPath(new URL('../../examples/workspace/', import.meta.url));
  const projects = { 'acme/ci-templates': join(workspace, 'acme/ci-templates') };
  const names = async (context: OracleContext): Promise<string[]> =>
    (await oracleJobs(join(workspace, 'acme/web'), { projectPath: 'acme/web', projects, ...context })).map((entry) => entry.name).sort();

  it('resolves acme/web on its default branch', async () => {
    expect(await names({ source: 'push', branch: 'main' })).toEqual([
      'build', 'deploy-staging', 'docker-build', 'dockerfile-lint', 'e2e-tests', 'lint', 'unit-tests', 'versions',
    ]);
  });

  it('resolves acme/web in a merge request pipeline', async () => {
    expect(await names({ source: 'merge_request_event', branch: 'feature/cart' })).toEqual([
      'build', 'bundle-size', 'docker-build', 'dockerfile-lint', 'lint', 'unit-tests', 'versions',
    ]);
  });

  it('creates no pipeline for a plain feature-branch push', async () => {
    expect(await names({ source: 'push', branch: 'feature/cart' })).toEqual([]);
  });
});
