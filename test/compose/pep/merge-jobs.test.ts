/**
 * Job merging policy after policy (gitlab-pep-sep.md §3.4): suffixes, uniqueness errors, the
 * `needs` rewrite of the renamed policy's own jobs, and jobs dropped for an undeclared stage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedJob } from '../../../src/ci/pipeline.js';
import type { CiSeq } from '../../../src/ci/value.js';
import { mergePolicyJobs } from '../../../src/compose/pep/index.js';
import type { ComposedJob } from '../../../src/compose/types.js';
import { PolicyError } from '../../../src/errors.js';
import { caughtPolicyError, job, policyPipeline, wrapped, type PolicySpec } from './builders.js';

const STAGES = wrapped(['build', 'test', 'deploy']);

function projectJobs(...jobs: ResolvedJob[]): ComposedJob[] {
  return jobs.map((entry) => ({ ...entry, originalName: entry.name, origin: { kind: 'project' } }));
}

function policy(spec: PolicySpec & { readonly jobs: readonly ResolvedJob[] }) {
  return policyPipeline({ stages: ['build', 'test', 'deploy'], ...spec });
}

describe('mergePolicyJobs', () => {
  it('keeps a free name and records no rename', () => {
    const result = mergePolicyJobs({ stages: STAGES, jobs: projectJobs(job('build', 'build')) }, [policy({ jobs: [job('sast')] })]);
    expect(result.jobs.map((entry) => entry.name)).toEqual(['build', 'sast']);
    expect(result.merges[0]?.renamed).toEqual([]);
  });

  it('renames a clash with a job of an earlier policy, not only with project jobs', () => {
    const result = mergePolicyJobs({ stages: STAGES, jobs: [] }, [
      policy({ sppId: 7, index: 2, jobs: [job('lint')] }),
      policy({ sppId: 9, index: 0, jobs: [job('lint')] }),
    ]);
    expect(result.jobs.map((entry) => [entry.name, entry.originalName])).toEqual([
      ['lint', 'lint'],
      ['lint:policy-9-0', 'lint'],
    ]);
  });

  it('fails when the suffixed name is taken too', () => {
    const error = caughtPolicyError(() =>
      mergePolicyJobs({ stages: STAGES, jobs: projectJobs(job('sast'), job('sast:policy-1-0')) }, [policy({ sppId: 1, jobs: [job('sast')] })]),
    );
    expect(error.code).toBe('pep-duplicate-job');
    expect(error.message).toBe('Pipeline execution policy error: job names must be unique (sast:policy-1-0)');
  });

  it('rewrites string and {job} needs of the renamed policy only, and leaves cross-project needs', () => {
    const needs: CiSeq = ['sast', { job: 'sast', artifacts: true }, { project: 'other/p', job: 'sast', ref: 'main' }, 'build'];
    const result = mergePolicyJobs({ stages: STAGES, jobs: projectJobs(job('sast'), job('report', 'deploy', ['sast'])) }, [
      policy({ sppId: 5, jobs: [job('sast'), job('build', 'build'), job('report', 'deploy', needs)] }),
    ]);
    const byName = new Map(result.jobs.map((entry) => [entry.name, entry]));
    expect(byName.get('report:policy-5-0')?.needs).toEqual([
      'sast:policy-5-0',
      { job: 'sast:policy-5-0', artifacts: true },
      { project: 'other/p', job: 'sast', ref: 'main' },
      'build',
    ]);
    // Project jobs' needs are untouched (§3.4).
    expect(byName.get('report')?.needs).toEqual(['sast']);
    expect(result.merges[0]?.renamed).toEqual([
      { from: 'sast', to: 'sast:policy-5-0' },
      { from: 'report', to: 'report:policy-5-0' },
    ]);
  });

  it('does not chain renames when a job takes another job’s old name', () => {
    const result = mergePolicyJobs({ stages: STAGES, jobs: projectJobs(job('a')) }, [
      policy({ sppId: 1, jobs: [job('a'), job('a:policy-1-0'), job('b', 'deploy', ['a', 'a:policy-1-0'])] }),
    ]);
    expect(result.jobs.map((entry) => entry.name)).toEqual(['a', 'a:policy-1-0', 'a:policy-1-0:policy-1-0', 'b']);
    expect(result.jobs[3]?.needs).toEqual(['a:policy-1-0', 'a:policy-1-0:policy-1-0']);
  });

  it('drops a job in an undeclared stage, and the needs on it, and records both', () => {
    const result = mergePolicyJobs({ stages: STAGES, jobs: [] }, [
      policy({ strategy: 'inject_ci', stages: ['test', 'policy-stage'], jobs: [job('scan', 'policy-stage'), job('report', 'test', ['scan'])] }),
    ]);
    expect(result.jobs.map((entry) => [entry.name, entry.needs])).toEqual([['report', []]]);
    expect(result.dropped.map(({ name, stage }) => ({ name, stage }))).toEqual([{ name: 'scan', stage: 'policy-stage' }]);
    expect(result.dropped[0]?.reason).toContain('inject_ci adds no stages');
    expect(result.merges[0]?.droppedNeeds).toEqual([{ job: 'report', need: 'scan' }]);
  });

  it('never produces two jobs with one name', () => {
    const names = fc.constantFrom('a', 'b', 'a:policy-1-0', 'a:policy-2-0', 'b:policy-1-1');
    const policies = fc.array(
      fc.record({
        sppId: fc.constantFrom(1, 2),
        index: fc.constantFrom(0, 1),
        suffix: fc.constantFrom<'on_conflict' | 'never'>('on_conflict', 'on_conflict', 'never'),
        jobs: fc.uniqueArray(names, { maxLength: 4 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(fc.uniqueArray(names, { maxLength: 3 }), policies, (project, specs) => {
        const base = { stages: STAGES, jobs: projectJobs(...project.map((name) => job(name))) };
        const pipelines = specs.map((spec) => policy({ ...spec, jobs: spec.jobs.map((name) => job(name)) }));
        let merged: readonly ComposedJob[];
        try {
          merged = mergePolicyJobs(base, pipelines).jobs;
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyError);
          expect((error as PolicyError).code).toBe('pep-duplicate-job');
          return;
        }
        const finalNames = merged.map((entry) => entry.name);
        expect(new Set(finalNames).size).toBe(finalNames.length);
        // Project jobs come first, never renamed.
        expect(finalNames.slice(0, project.length)).toEqual(project);
        expect(merged.map((entry) => entry.originalName)).toEqual([...project, ...specs.flatMap((spec) => spec.jobs)]);
      }),
    );
  });
});
