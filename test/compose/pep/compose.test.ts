/**
 * Strategy combinations and pipeline outcomes of composeWithPolicies that §7 does not number
 * (gitlab-pep-sep.md §2 strategies, §3.1, §3.3, §3.7).
 */
import { describe, expect, it } from 'vitest';
import { composeWithPolicies } from '../../../src/compose/pep/index.js';
import type { ComposedPipeline } from '../../../src/compose/types.js';
import { job, pipeline, policyPipeline, wrapped } from './builders.js';

const names = (composed: ComposedPipeline) => composed.jobs.map((entry) => entry.name);
const project = () => pipeline({ stages: ['build', 'test'], name: 'project pipeline', jobs: [job('compile', 'build'), job('unit', 'test')] });

describe('composeWithPolicies', () => {
  it('without policies gives the project pipeline with the reserved stages around it', () => {
    const composed = composeWithPolicies(project(), []);
    expect(composed).toMatchObject({ created: true, name: 'project pipeline', stages: wrapped(['build', 'test']), policyMerges: [] });
    expect(names(composed)).toEqual(['compile', 'unit']);
  });

  it('override: the project is ignored, inject policies merge after on the override stages', () => {
    const override = policyPipeline({ strategy: 'override_project_ci', index: 0, stages: ['lint', 'scan'], jobs: [job('lint', 'lint'), job('unit', 'scan')] });
    const inject = policyPipeline({ strategy: 'inject_policy', index: 1, stages: ['scan', 'policy-report'], jobs: [job('report', 'policy-report')] });
    const injectCi = policyPipeline({ strategy: 'inject_ci', index: 2, jobs: [job('kept', 'scan'), job('gone', 'build')] });
    const composed = composeWithPolicies(project(), [override, inject, injectCi]);
    expect(composed.stages).toEqual(wrapped(['lint', 'scan', 'policy-report']));
    expect(names(composed)).toEqual(['lint', 'unit', 'report', 'kept']);
    expect(composed.jobs.every((entry) => entry.origin.kind === 'policy')).toBe(true);
    expect(composed.droppedPolicyJobs.map((entry) => entry.name)).toEqual(['gone']);
    expect(composed).toMatchObject({ created: true, name: undefined, excluded: [] });
    expect(composed.policyMerges.map((entry) => entry.addedStages)).toEqual([['lint', 'scan'], ['policy-report'], []]);
    expect(composed.reason).toContain('replaces the project configuration');
  });

  it('override: the stages of compatible override policies are the longest list', () => {
    const longest = policyPipeline({ strategy: 'override_project_ci', index: 0, stages: ['build', 'test', 'policy-test', 'deploy'], jobs: [job('a', 'policy-test')] });
    const subset = policyPipeline({ strategy: 'override_project_ci', index: 1, stages: ['test', 'deploy'], jobs: [job('b', 'deploy')] });
    expect(composeWithPolicies(undefined, [subset, longest]).stages).toEqual(wrapped(['build', 'test', 'policy-test', 'deploy']));
  });

  it('override: an empty override policy still ignores the project; other policies’ jobs make the pipeline', () => {
    const emptyOverride = policyPipeline({ strategy: 'override_project_ci', filteredBy: 'workflow:rules: no rule matched' });
    const inject = policyPipeline({ index: 1, jobs: [job('policy-job')] });
    const composed = composeWithPolicies(project(), [emptyOverride, inject]);
    expect(names(composed)).toEqual(['policy-job']);
    expect(composed.stages).toEqual(wrapped(['build', 'test', 'deploy']));
  });

  it('an inject_ci job may use a stage that an inject_policy policy merged later adds', () => {
    const injectCi = policyPipeline({ strategy: 'inject_ci', index: 0, jobs: [job('late', 'policy-stage')] });
    const inject = policyPipeline({ index: 1, stages: ['test', 'policy-stage'], jobs: [job('own', 'policy-stage')] });
    expect(names(composeWithPolicies(project(), [injectCi, inject]))).toEqual(['compile', 'unit', 'late', 'own']);
  });

  it('a project without CI config takes every inject_policy stage (§3.3)', () => {
    const inject = policyPipeline({ stages: ['policy-stage', 'build'], jobs: [job('first', 'policy-stage')] });
    const composed = composeWithPolicies(undefined, [inject]);
    expect(composed.stages).toEqual(wrapped(['policy-stage', 'build', 'test', 'deploy']));
    expect(composed.reason).toContain('no CI configuration');
  });

  it('a project of only .pre jobs keeps them once a policy adds a runnable job', () => {
    const preOnly = pipeline({ jobs: [job('prepare', '.pre')] });
    expect(preOnly.created).toBe(false);
    const composed = composeWithPolicies(preOnly, [policyPipeline({ jobs: [job('policy-job')] })]);
    expect(composed.created).toBe(true);
    expect(names(composed)).toEqual(['prepare', 'policy-job']);
  });

  it('both filtered by workflow rules: no pipeline', () => {
    const filtered = pipeline({ filteredBy: 'workflow:rules: no rule matched' });
    const composed = composeWithPolicies(filtered, [policyPipeline({ filteredBy: 'workflow:rules: no rule matched' })]);
    expect(composed).toMatchObject({ created: false, jobs: [] });
    expect(composed.reason).toContain('no policy job applies');
  });

  it('lists every file read once, project files first', () => {
    const composed = composeWithPolicies(project(), [policyPipeline({ jobs: [job('a')] }), policyPipeline({ index: 1, jobs: [job('b')] })]);
    expect(composed.files.map((file) => file.location)).toEqual(['.gitlab-ci.yml', 'policy-ci.yml']);
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    const inputs = () => [policyPipeline({ stages: ['test', 'x'], jobs: [job('unit', 'x')] }), policyPipeline({ index: 1, jobs: [job('unit')] })];
    expect(JSON.stringify(composeWithPolicies(project(), inputs()))).toBe(JSON.stringify(composeWithPolicies(project(), inputs())));
  });
});
