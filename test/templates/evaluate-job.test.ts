/**
 * The optional `policy:evaluate` job of both components (inputs `evaluate`,
 * `evaluate_allow_failure`, `stage_evaluate`): absent by default, present only in merge request
 * pipelines when enabled, after the composed child pipeline (`needs: policy:pipeline`,
 * `when: always`), with its JSON and JUnit artifacts; exit code 1 allowed only in the Premium
 * variant. Read by our engine and by gitlab-ci-local (GitLab's CI JSON schema), in both states.
 */
import { describe, expect, it } from 'vitest';
import type { OracleContext } from '../oracle/gitlab-ci-local.js';
import { isRecord, type ListedJob } from '../oracle/oracle-run.js';
import { COMPONENTS, includingConfig, jobNamed, resolveWithGitlabCiLocal, resolveWithOurEngine, type ComponentName, type Inputs } from './template-fixtures.js';

const MR: OracleContext = { source: 'merge_request_event', branch: 'feature/a', variables: { CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' } };
const MR_VARIABLES = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' };

const expectedArtifacts = {
  when: 'always',
  expire_in: '30 days',
  paths: ['policy-approvals.json', 'policy-approvals-junit.xml'],
  reports: { junit: 'policy-approvals-junit.xml' },
};
const expectedNeeds = [{ job: 'policy:pipeline', artifacts: false }];

describe.each(COMPONENTS)('component %s: policy:evaluate, read by our engine', (component: ComponentName) => {
  it.each<{ name: string; context: OracleContext }>([
    { name: 'merge request pipeline', context: MR },
    { name: 'push to the default branch', context: { source: 'push', branch: 'main' } },
  ])('is absent by default: $name', async ({ context }) => {
    const pipeline = await resolveWithOurEngine(includingConfig(component), context);
    expect(pipeline.jobs.map((job) => job.name)).toEqual(['policy:compose', 'policy:pre', 'policy:pipeline']);
    expect(pipeline.resolved.excluded.map((job) => job.name)).toEqual(['policy:evaluate']);
  });

  it('runs in merge request pipelines when enabled: after the child pipeline, always, failing on a violation', async () => {
    const pipeline = await resolveWithOurEngine(includingConfig(component, { evaluate: true }), MR);
    expect(pipeline.jobs.map((job) => [job.name, job.stage, job.when])).toEqual([
      ['policy:compose', '.pre', 'on_success'],
      ['policy:pre', 'test', 'on_success'],
      ['policy:pipeline', 'test', 'on_success'],
      ['policy:evaluate', '.post', 'always'],
    ]);
    const evaluate = jobNamed(pipeline, 'policy:evaluate');
    expect(evaluate.needs).toEqual(expectedNeeds);
    // The last rule's allow_failure: false replaces the job's exit_codes (as in GitLab).
    expect(evaluate.allowFailure).toBe(false);
    expect(evaluate.definition['artifacts']).toEqual(expectedArtifacts);
    expect(evaluate.definition['image']).toEqual({ name: 'registry.gitlab.com/policy-sidecar/policy-sidecar:0.1.0', entrypoint: [''] });
    expect(evaluate.variables['POLICY_SIDECAR_JOB']?.value).toBe('evaluate');
  });

  it('allows exit code 1 only with evaluate_allow_failure (approval rules are the gate)', async () => {
    const pipeline = await resolveWithOurEngine(includingConfig(component, { evaluate: true, evaluate_allow_failure: true }), MR);
    expect(jobNamed(pipeline, 'policy:evaluate').allowFailure).toEqual({ exit_codes: [1] });
  });

  it('takes its stage from stage_evaluate', async () => {
    const pipeline = await resolveWithOurEngine(includingConfig(component, { evaluate: true, stage_evaluate: 'test' }), MR);
    expect(jobNamed(pipeline, 'policy:evaluate').stage).toBe('test');
  });

  it.each<{ name: string; context: OracleContext }>([
    { name: 'push to the default branch', context: { source: 'push', branch: 'main' } },
    { name: 'push to a branch without a merge request', context: { source: 'push', branch: 'feature/a' } },
    { name: 'schedule', context: { source: 'schedule', branch: 'main' } },
    { name: 'tag', context: { source: 'push', tag: 'v1.2.0' } },
  ])('is absent outside merge request pipelines even when enabled: $name', async ({ context }) => {
    const pipeline = await resolveWithOurEngine(includingConfig(component, { evaluate: true, evaluate_allow_failure: true }), context);
    expect(pipeline.jobs.map((job) => job.name)).toEqual(['policy:compose', 'policy:pre', 'policy:pipeline']);
  });

  it.each<{ inputs: Inputs; message: RegExp }>([
    { inputs: { evaluate: 'maybe' }, message: /evaluate.*boolean/ },
    { inputs: { evaluate_allow_failure: 'sometimes' }, message: /evaluate_allow_failure.*boolean/ },
  ])('rejects $inputs', async ({ inputs, message }) => {
    await expect(resolveWithOurEngine(includingConfig(component, inputs), MR)).rejects.toThrow(message);
  });
});

describe.each(COMPONENTS)('component %s: policy:evaluate, read by gitlab-ci-local', (component: ComponentName) => {
  it('off by default: listed with when never, and the configuration passes the schema', async () => {
    const { listed } = await resolveWithGitlabCiLocal(includingConfig(component), undefined, MR_VARIABLES);
    expect(listed.map((job) => [job.name, job.when])).toEqual([
      ['policy:compose', 'on_success'],
      ['policy:pre', 'on_success'],
      ['policy:pipeline', 'on_success'],
      ['policy:evaluate', 'never'],
    ]);
  });

  it.each<{ variant: string; inputs: Inputs; allowFailure: ListedJob['allowFailure'] }>([
    { variant: 'blocking (Free)', inputs: { evaluate: true }, allowFailure: false },
    { variant: 'exit code 1 allowed (Premium)', inputs: { evaluate: true, evaluate_allow_failure: true }, allowFailure: { exit_codes: [1] } },
  ])('enabled, $variant: stage, needs, when and allow_failure after rules, artifacts in the schema', async ({ inputs, allowFailure }) => {
    const { listed, expanded } = await resolveWithGitlabCiLocal(includingConfig(component, inputs), undefined, MR_VARIABLES);
    const evaluate = listed.find((job) => job.name === 'policy:evaluate');
    expect(evaluate && { stage: evaluate.stage, when: evaluate.when, needs: evaluate.needs, allowFailure: evaluate.allowFailure }).toEqual({
      stage: '.post',
      when: 'always',
      needs: ['policy:pipeline'],
      allowFailure,
    });
    const job = expanded['policy:evaluate'];
    if (!isRecord(job)) throw new Error('policy:evaluate missing from the expanded configuration');
    expect(job['artifacts']).toEqual(expectedArtifacts);
    expect(job['needs']).toEqual([{ job: 'policy:pipeline', artifacts: false, optional: false }]);
  });

  it('enabled, outside a merge request pipeline: listed with when never', async () => {
    const { listed } = await resolveWithGitlabCiLocal(includingConfig(component, { evaluate: true }));
    expect(listed.find((job) => job.name === 'policy:evaluate')?.when).toBe('never');
  });
});
