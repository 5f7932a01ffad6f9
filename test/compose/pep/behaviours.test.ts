/**
 * One test per testable behaviour of gitlab-pep-sep.md §7 that the merge decides, numbered as
 * there, plus the combinations §3 describes (override with inject, empty pipelines).
 */
import { describe, expect, it } from 'vitest';
import { composeWithPolicies } from '../../../src/compose/pep/index.js';
import type { ComposedPipeline } from '../../../src/compose/types.js';
import { caughtPolicyError, job, pipeline, policyPipeline, wrapped } from './builders.js';

const DEFAULTS = ['build', 'test', 'deploy'];
const defaultProject = () =>
  pipeline({ stages: DEFAULTS, jobs: [job('build-job', 'build'), job('test-job', 'test'), job('deploy-job', 'deploy')] });

const names = (composed: ComposedPipeline) => composed.jobs.map((entry) => entry.name);
/** The stages GitLab shows: declared ones that have jobs. */
const stagesWithJobs = (composed: ComposedPipeline) => composed.stages.filter((stage) => composed.jobs.some((entry) => entry.stage === stage));

describe('PEP stages and merging (§7)', () => {
  it('9: an inject_policy stage between test and deploy, with its job in it', () => {
    const policy = policyPipeline({ stages: ['test', 'policy-stage', 'deploy'], jobs: [job('policy-job', 'policy-stage')] });
    const composed = composeWithPolicies(defaultProject(), [policy]);
    expect(composed.stages).toEqual(wrapped(['build', 'test', 'policy-stage', 'deploy']));
    expect(composed.jobs.at(-1)).toMatchObject({ name: 'policy-job', stage: 'policy-stage', origin: { kind: 'policy' } });
    expect(composed.policyMerges[0]).toMatchObject({ merged: true, jobs: ['policy-job'], addedStages: ['policy-stage'] });
  });

  it('10: the same policy on a project that deploys before testing is a cyclic error', () => {
    const project = pipeline({ stages: ['build', 'deploy', 'test'], jobs: [job('build-job', 'build')] });
    const policy = policyPipeline({ stages: ['test', 'policy-stage', 'deploy'], jobs: [job('policy-job', 'policy-stage')] });
    const error = caughtPolicyError(() => composeWithPolicies(project, [policy]));
    expect(error.code).toBe('pep-stage-cycle');
    expect(error.message).toContain('Cyclic dependencies detected when enforcing policies');
  });

  it('11: a project with only build shows build and policy-stage', () => {
    const project = pipeline({ stages: ['build'], jobs: [job('build-job', 'build')] });
    const policy = policyPipeline({ stages: ['test', 'policy-stage', 'deploy'], jobs: [job('policy-job', 'policy-stage')] });
    const composed = composeWithPolicies(project, [policy]);
    expect(stagesWithJobs(composed)).toEqual(['build', 'policy-stage']);
    expect(composed.stages).toEqual(wrapped(['build', 'test', 'policy-stage', 'deploy']));
  });

  it('13: two lone policy stages go last, in merge order', () => {
    const composed = composeWithPolicies(defaultProject(), [
      policyPipeline({ index: 0, stages: ['policy1-test'], jobs: [job('one', 'policy1-test')] }),
      policyPipeline({ index: 1, stages: ['policy2-test'], jobs: [job('two', 'policy2-test')] }),
    ]);
    expect(composed.stages).toEqual(wrapped([...DEFAULTS, 'policy1-test', 'policy2-test']));
    expect(names(composed)).toEqual(['build-job', 'test-job', 'deploy-job', 'one', 'two']);
  });

  it('14: an inject_ci job in an undeclared stage is dropped, and the report says so', () => {
    const policy = policyPipeline({ strategy: 'inject_ci', stages: ['test', 'policy-stage'], jobs: [job('kept', 'test'), job('gone', 'policy-stage')] });
    const composed = composeWithPolicies(defaultProject(), [policy]);
    expect(composed.stages).toEqual(wrapped(DEFAULTS));
    expect(names(composed)).toEqual(['build-job', 'test-job', 'deploy-job', 'kept']);
    expect(composed.droppedPolicyJobs).toMatchObject([{ name: 'gone', stage: 'policy-stage' }]);
    expect(composed.policyMerges[0]?.reason).toContain('dropped gone (stage policy-stage not declared)');
  });

  it('15: an inject_ci pre job on a project without CI config makes a pipeline of that job', () => {
    const policy = policyPipeline({ strategy: 'inject_ci', jobs: [job('pre-check', '.pipeline-policy-pre')] });
    const composed = composeWithPolicies(undefined, [policy]);
    expect(composed.created).toBe(true);
    expect(names(composed)).toEqual(['pre-check']);
    expect(composed.stages).toEqual(['.pipeline-policy-pre', '.pre', 'build', 'test', 'deploy', '.post', '.pipeline-policy-post']);
  });

  it('17: a policy with jobs only in .pre counts as empty and is not merged', () => {
    const policy = policyPipeline({ jobs: [job('pre-only', '.pre')] });
    const composed = composeWithPolicies(defaultProject(), [policy]);
    expect(names(composed)).toEqual(['build-job', 'test-job', 'deploy-job']);
    expect(composed.policyMerges[0]).toMatchObject({ merged: false, jobs: [] });
    expect(composed.policyMerges[0]?.reason).toContain('only .pre and .post jobs');
  });

  it('18: a policy without stages brings build, test, deploy and clashes with test, build, deploy', () => {
    const project = pipeline({ stages: ['test', 'build', 'deploy'], jobs: [job('t', 'test')] });
    const policy = policyPipeline({ jobs: [job('policy-test', 'test')] });
    expect(caughtPolicyError(() => composeWithPolicies(project, [policy])).code).toBe('pep-stage-cycle');
  });

  it('20: two override policies with incompatible stages fail, naming the second', () => {
    const first = policyPipeline({ strategy: 'override_project_ci', policyName: 'first', stages: ['build', 'test', 'policy-test', 'deploy'], jobs: [job('a')] });
    const second = policyPipeline({ strategy: 'override_project_ci', policyName: 'second', index: 1, stages: ['deploy', 'test'], jobs: [job('b')] });
    const error = caughtPolicyError(() => composeWithPolicies(undefined, [first, second]));
    expect(error.code).toBe('pep-override-stages');
    expect(error.message).toBe(
      'Pipeline execution policy error: Policy `second` could not be applied. Its stages are incompatible with stages of another `override_project_ci` policy: build, test, policy-test, deploy.',
    );
  });
});

describe('PEP job names (§7)', () => {
  const sastProject = () => pipeline({ jobs: [job('sast')] });

  it('21: a policy job clashing with a project job gets the policy suffix', () => {
    const composed = composeWithPolicies(sastProject(), [policyPipeline({ sppId: 123456, index: 0, jobs: [job('sast')] })]);
    expect(composed.jobs.map((entry) => [entry.name, entry.originalName, entry.origin.kind])).toEqual([
      ['sast', 'sast', 'project'],
      ['sast:policy-123456-0', 'sast', 'policy'],
    ]);
    expect(composed.policyMerges[0]?.renamed).toEqual([{ from: 'sast', to: 'sast:policy-123456-0' }]);
  });

  it('22: two policies of one SPP get their own index in the suffix', () => {
    const policies = [0, 1].map((index) => policyPipeline({ sppId: 123456, index, jobs: [job('sast')] }));
    expect(names(composeWithPolicies(sastProject(), policies))).toEqual(['sast', 'sast:policy-123456-0', 'sast:policy-123456-1']);
    // Unverified in GitLab which one keeps the plain name without a project `sast`: here, the one merged first.
    expect(names(composeWithPolicies(pipeline({ jobs: [job('build')] }), policies))).toEqual(['build', 'sast', 'sast:policy-123456-1']);
  });

  it('23: suffix never turns the clash into an error', () => {
    const error = caughtPolicyError(() => composeWithPolicies(sastProject(), [policyPipeline({ suffix: 'never', jobs: [job('sast')] })]));
    expect(error.code).toBe('pep-duplicate-job');
    expect(error.message).toBe('Pipeline execution policy error: job names must be unique (sast)');
  });

  it('25: a group-level policy job never renames the project job', () => {
    const composed = composeWithPolicies(pipeline({ jobs: [job('a')] }), [policyPipeline({ sppId: 42, index: 3, jobs: [job('a')] })]);
    expect(composed.jobs.map((entry) => [entry.name, entry.origin.kind])).toEqual([
      ['a', 'project'],
      ['a:policy-42-3', 'policy'],
    ]);
  });
});

describe('PEP workflow (§7)', () => {
  const mrOnlyPolicy = (source: 'push' | 'merge_request_event') =>
    source === 'push'
      ? policyPipeline({ filteredBy: 'workflow:rules: no rule matched' })
      : policyPipeline({ jobs: [job('policy-job')] });

  it('37: a policy limited to MR pipelines adds nothing to a push pipeline and its job to an MR pipeline', () => {
    const push = composeWithPolicies(defaultProject(), [mrOnlyPolicy('push')]);
    expect(names(push)).toEqual(['build-job', 'test-job', 'deploy-job']);
    expect(push.policyMerges[0]).toMatchObject({ merged: false });
    const mr = composeWithPolicies(defaultProject(), [mrOnlyPolicy('merge_request_event')]);
    expect(names(mr)).toEqual(['build-job', 'test-job', 'deploy-job', 'policy-job']);
  });

  it('38: a project filtered out by workflow rules still gets a pipeline of policy jobs', () => {
    const project = pipeline({ stages: DEFAULTS, filteredBy: 'workflow:rules: no rule matched' });
    const composed = composeWithPolicies(project, [policyPipeline({ jobs: [job('policy-job')] })]);
    expect(composed.created).toBe(true);
    expect(names(composed)).toEqual(['policy-job']);
    expect(composed.reason).toContain('the policy jobs run on their own');
  });

  it('39: an override policy filtered out by its workflow rules means no pipeline', () => {
    const override = policyPipeline({ strategy: 'override_project_ci', filteredBy: 'workflow:rules: no rule matched' });
    for (const project of [undefined, defaultProject()]) {
      const composed = composeWithPolicies(project, [override]);
      expect(composed.created).toBe(false);
      expect(composed.jobs).toEqual([]);
      expect(composed.reason).toContain('override_project_ci policy pipeline is empty');
    }
  });
});
