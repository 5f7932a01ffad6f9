/**
 * Our engine against an independent GitLab CI implementation (gitlab-ci-local 4.72): for every
 * oracle fixture and every example project, the resolved jobs (names, stages, scripts, variables,
 * needs, when, allow_failure) must be the same in the same context. Where gitlab-ci-local departs
 * from GitLab (documented in gitlab-ci-local.ts), the oracle corrects or flags it; jobs it flags
 * (only/except, which it ignores) are compared on everything but whether they run.
 *
 * For the oracle fixtures, gitlab-ci-local's view is the pinned `expected-oracle.json`, which
 * oracle-harness.test.ts checks byte for byte against a live gitlab-ci-local run of the same
 * fixture in the same `npm test`: one run per fixture for both files instead of two. The example
 * projects have no pinned answer and run gitlab-ci-local here.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oraclePipeline, type OracleContext, type OracleJob } from './gitlab-ci-local.js';
import { fixtureMetadataFiles, listOracleFixtures, loadPinnedPipeline, type OracleFixture } from './oracle-fixtures.js';
import { ourPipeline } from './our-engine.js';

const examples = fileURLToPath(new URL('../../examples/workspace/', import.meta.url));
const exampleProjects = { 'acme/ci-templates': join(examples, 'acme/ci-templates') };

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly context: OracleContext;
  readonly ignore: readonly string[];
  /** An oracle fixture, whose pinned answer is gitlab-ci-local's view; absent: run it here. */
  readonly pinned?: OracleFixture;
}

const cases: Case[] = [
  ...(await listOracleFixtures()).map((fixture) => ({
    name: `fixture ${fixture.name}`,
    dir: fixture.dir,
    context: fixture.context,
    ignore: fixtureMetadataFiles,
    pinned: fixture,
  })),
  ...[
    { source: 'push', branch: 'main' },
    { source: 'merge_request_event', branch: 'feature/checkout' },
    { source: 'push', branch: 'feature/checkout' },
    { source: 'push', tag: 'v1.4.0' },
    { source: 'schedule', branch: 'main' },
  ].map((context) => ({
    name: `example acme/web ${context.source} ${context.tag ?? context.branch}`,
    dir: join(examples, 'acme/web'),
    context: { ...context, projectPath: 'acme/web', projects: exampleProjects },
    ignore: ['README.md'],
  })),
  ...[
    { source: 'push', branch: 'main' },
    { source: 'merge_request_event', branch: 'fix/orders' },
    { source: 'push', tag: 'v2.0.0' },
  ].map((context) => ({
    name: `example acme/api ${context.source} ${context.tag ?? context.branch}`,
    dir: join(examples, 'acme/api'),
    context: { ...context, projectPath: 'acme/api' },
    ignore: ['README.md'],
  })),
];

function comparable(job: OracleJob, withWhen: boolean) {
  const { ignoredKeywords: _ignored, when, allowFailure, ...rest } = job;
  return withWhen ? { ...rest, when, allowFailure } : rest;
}

describe('resolved jobs equal gitlab-ci-local view of the same config', () => {
  it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const [oracle, ours] = await Promise.all([
      entry.pinned !== undefined ? loadPinnedPipeline(entry.pinned) : oraclePipeline(entry.dir, entry.context, { ignore: entry.ignore }),
      ourPipeline(entry.dir, entry.context, entry.ignore),
    ]);
    const flagged = new Set(oracle.jobs.filter((job) => job.ignoredKeywords.length > 0).map((job) => job.name));
    // A pipeline whose only candidates are only/except jobs exists for gitlab-ci-local (it keeps
    // them all) but maybe not for GitLab; whether it is created is then ours alone to decide.
    if (oracle.jobs.some((job) => !flagged.has(job.name)) || flagged.size === 0) expect(ours.created).toBe(oracle.created);
    const oracleJobs = oracle.jobs.filter((job) => !flagged.has(job.name));
    const ourJobs = ours.jobs.filter((job) => !flagged.has(job.name));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(ourJobs.map((job) => comparable(job, true)).sort(byName)).toEqual(oracleJobs.map((job) => comparable(job, true)).sort(byName));
    // only/except jobs: gitlab-ci-local keeps them all, so compare the ones we keep.
    for (const job of ours.jobs.filter((candidate) => flagged.has(candidate.name))) {
      const theirs = oracle.jobs.find((candidate) => candidate.name === job.name);
      expect(theirs, `${job.name} is unknown to the oracle`).toBeDefined();
      if (theirs !== undefined) expect(comparable(job, false)).toEqual(comparable(theirs, false));
    }
  });

  it('checks a meaningful number of configs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});
