/**
 * The enforcement guarantees, proven by running the enforced pipeline under gitlab-ci-local with
 * the shell executor. Every job writes `start`/`end` events with a nanosecond clock; ordering is
 * asserted from those events, never from gitlab-ci-local's own scheduling. Project CI/CD
 * variables are stood in for by `--variable`, which outranks YAML variables as settings do.
 */
import { describe, expect, it } from 'vitest';
import type { CiMap } from '../../src/ci/value.js';
import { enforcePipeline, enforcePipelines, type EnforceOptions } from '../../src/compose/enforce/index.js';
import { emitPipelineYaml } from '../../src/emit/pipeline-yaml.js';
import { buildComposedPipeline, type ComposedInput } from '../compose/enforce/composed-input.js';
import { runChildPipelines } from './run-child-pipelines.js';
import { runPipeline, timelineLine, type PipelineRun, type TimelineEvent } from './run-pipeline.js';

const PRE_JOBS = ['pre-a', 'pre-b', 'pre-optional'];
const PROJECT_JOBS = ['setup', 'build', 'lint', 'unit', 'slow-dag', 'cleanup', 'release'];
const POLICY_MIDDLE_JOBS = ['verify', 'container-scan', 'secret-detection'];
const POST_JOBS = ['audit-prepare', 'audit-report'];
const USER_VARIABLES = { ENFORCED: 'evil', CS_IMAGE: 'myimg', SAST_DISABLED: 'true', FOO: '1', SECRET_DETECTION_DISABLED: 'true' };

/** A job body that records its start, runs `work`, records `detail` values, then its end. */
function body(work: readonly string[], records: readonly (readonly [string, string])[] = []): CiMap {
  return { script: [timelineLine('start'), ...work, ...records.map(([event, detail]) => timelineLine(event, detail)), timelineLine('end')] };
}

function pipelineInput(preAFails: boolean): ComposedInput {
  return {
    policies: {
      gate: {},
      // RUN_TIMELINE is the harness's runner `environment` setting: under allowed: false a policy job
      // drops every name it does not list (environment-filter.ts), runner settings included.
      containers: { variables_override: { allowed: false, exceptions: ['CS_IMAGE', 'RUN_TIMELINE'] } },
      secrets: { variables_override: { allowed: true, exceptions: ['SECRET_DETECTION_DISABLED'] } },
    },
    jobs: {
      'pre-a': { origin: 'gate', stage: '.pipeline-policy-pre', ...body(['sleep 1', ...(preAFails ? ['exit 1'] : [])]) },
      'pre-b': { origin: 'gate', stage: '.pipeline-policy-pre', needs: [], ...body(['sleep 1']) },
      'pre-optional': { origin: 'gate', stage: '.pipeline-policy-pre', allow_failure: true, ...body(['exit 1']) },
      setup: { stage: '.pre', ...body([]) },
      build: { stage: 'build', ...body([], [['env', '"$ENFORCED"']]) },
      lint: { stage: 'test', needs: [], ...body([]) },
      unit: { stage: 'test', needs: ['build'], ...body([]) },
      'slow-dag': { stage: 'test', needs: [], ...body(['sleep 1']) },
      cleanup: { stage: 'deploy', when: 'always', ...body([]), after_script: [timelineLine('after')] },
      release: { stage: 'deploy', when: 'manual', needs: [], ...body([]) },
      verify: {
        origin: 'gate',
        stage: 'test',
        variables: { ENFORCED: "policy's value" },
        ...body([], [['env', '"$ENFORCED"']]),
        after_script: [timelineLine('after-env', '"$ENFORCED"')],
      },
      'container-scan': {
        origin: 'containers',
        stage: 'test',
        variables: { CS_IMAGE: 'alpine:latest', CS_SEVERITY: 'high' },
        ...body([], [['env', '"$CS_IMAGE ${SAST_DISABLED-unset} $CS_SEVERITY"']]),
      },
      'secret-detection': {
        origin: 'secrets',
        stage: 'test',
        ...body([], [['env', '"$FOO ${SECRET_DETECTION_DISABLED-unset}"']]),
      },
      'audit-prepare': { origin: 'gate', stage: '.pipeline-policy-post', ...body([]) },
      'audit-report': { origin: 'gate', stage: '.pipeline-policy-post', needs: [], ...body([]) },
    },
  };
}

function enforcedYaml(input: ComposedInput, preMustSucceed: boolean): string {
  const options: EnforceOptions = { userVariableNames: Object.keys(USER_VARIABLES), preMustSucceed };
  return emitPipelineYaml(enforcePipeline(buildComposedPipeline(input), options), { description: 'enforcement run test' });
}

function events(run: PipelineRun, event: string, jobs: readonly string[]): TimelineEvent[] {
  return run.timeline.filter((entry) => entry.event === event && jobs.includes(entry.job));
}

function detailOf(run: PipelineRun, job: string, event = 'env'): string | undefined {
  return run.timeline.find((entry) => entry.job === job && entry.event === event)?.detail;
}

const max = (values: readonly bigint[]): bigint => values.reduce((a, b) => (a > b ? a : b));
const min = (values: readonly bigint[]): bigint => values.reduce((a, b) => (a < b ? a : b));

describe('enforced pipeline under gitlab-ci-local', () => {
  it('runs pre jobs before every other job, post jobs after them, with enforced variables', async () => {
    const run = await runPipeline(enforcedYaml(pipelineInput(false), true), { variables: USER_VARIABLES, manual: ['release'] });
    const everyJob = [...PRE_JOBS, ...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS, ...POST_JOBS];
    for (const name of everyJob) expect(run.jobs.get(name)?.started, `${name} started\n${run.log}`).toBe(true);
    // Behaviour 30: a pre job that may fail does not hold anything back.
    expect(run.jobs.get('pre-optional')?.status).toBe('allowed-failure');
    for (const name of everyJob.filter((job) => job !== 'pre-optional')) expect(run.jobs.get(name)?.status, name).toBe('success');

    // Every pre job ended before any other job started: needs: [], .pre, manual, always included.
    const preEnd = max(events(run, 'end', ['pre-a', 'pre-b']).map((entry) => entry.at));
    const laterStarts = events(run, 'start', [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS, ...POST_JOBS]);
    expect(laterStarts).toHaveLength(PROJECT_JOBS.length + POLICY_MIDDLE_JOBS.length + POST_JOBS.length);
    expect(min(laterStarts.map((entry) => entry.at)) > preEnd).toBe(true);

    // Post jobs, the one with `needs: []` included, started after every project job ended.
    const projectEnd = max(events(run, 'end', [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS]).map((entry) => entry.at));
    const postStarts = events(run, 'start', POST_JOBS).map((entry) => entry.at);
    expect(postStarts).toHaveLength(2);
    expect(min(postStarts) > projectEnd).toBe(true);

    // Behaviour 32: a settings variable cannot change a policy's YAML variable; project jobs see it.
    expect(detailOf(run, 'verify')).toBe("policy's value");
    expect(detailOf(run, 'verify', 'after-env')).toBe("policy's value");
    expect(detailOf(run, 'build')).toBe('evil');
    // Behaviour 34 (allowlist): CS_IMAGE passes, SAST_DISABLED is dropped, CS_SEVERITY is the policy's.
    expect(detailOf(run, 'container-scan')).toBe('myimg unset high');
    // Behaviour 35 (denylist): FOO passes, SECRET_DETECTION_DISABLED does not.
    expect(detailOf(run, 'secret-detection')).toBe('1 unset');
  });

  it('runs no later job when a pre job fails', async () => {
    const run = await runPipeline(enforcedYaml(pipelineInput(true), true), { variables: USER_VARIABLES, manual: ['release'] });
    expect(run.jobs.get('pre-a')?.status).toBe('failed');
    expect(run.jobs.get('pre-b')?.status).toBe('success');
    const later = [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS, ...POST_JOBS];
    expect(events(run, 'start', later)).toEqual([]);
    for (const name of later) expect(run.jobs.get(name)?.started, name).toBe(false);
    // gitlab-ci-local leaves the barrier unstarted and so waits forever for it; GitLab would skip
    // the barrier and still start `when: always` jobs: the next test starts them as GitLab would.
    expect(run.jobs.get('policy-sidecar:pre-barrier')?.started).toBe(false);
  });

  it('stops jobs GitLab starts despite the failed pre job before their first own line', async () => {
    // No barrier ran (as in GitLab after a failed pre job); a marker committed to the repository
    // does not count either, because it cannot hold this pipeline's id.
    const yaml = enforcedYaml(pipelineInput(true), true);
    const guarded = ['cleanup', 'lint', 'release', 'verify'];
    const run = await runPipeline(yaml, { only: guarded, files: { '.policy-sidecar/pre-passed': 'pre-passed:1\n' } });
    for (const name of guarded) {
      expect(run.jobs.get(name)?.started, name).toBe(true);
      // `release` is manual, so allowed to fail by default: it fails, as a warning.
      expect(run.jobs.get(name)?.status, name).toBe(name === 'release' ? 'allowed-failure' : 'failed');
      expect(run.jobs.get(name)?.output.join('\n'), name).toContain('policy-sidecar: not run');
    }
    // Neither the scripts nor cleanup's after_script got to a line of their own.
    expect(run.timeline).toEqual([]);
  });

  it('relaxed (GitLab default): the pre barrier still runs once the failed pre stage is complete', async () => {
    const run = await runPipeline(enforcedYaml(pipelineInput(true), false), { variables: USER_VARIABLES, manual: ['release'] });
    expect(run.jobs.get('pre-a')?.status).toBe('failed');
    // `when: always`: it completes whatever the pre jobs did, so in GitLab the `needs` jobs behind
    // it start (behaviour 28), after the pre stage and not before.
    expect(run.jobs.get('policy-sidecar:pre-barrier')?.status).toBe('success');
    // Stage-ordered on_success jobs are skipped, as in GitLab.
    for (const name of ['setup', 'build', 'unit']) expect(run.jobs.get(name)?.started, name).toBe(false);
    // gitlab-ci-local cannot show the `needs` jobs starting: it skips an on_success job when any
    // job it waits for, even through an always job, failed (src/executor.ts getPastToWaitFor is
    // transitive); GitLab looks only at the direct needs, and the barrier succeeded.
    expect(events(run, 'start', [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS])).toEqual([]);
  });

  describe('two-file layout (compose --pre-out): the composed pipeline exists only after the pre pipeline passed', () => {
    function enforcedFiles(input: ComposedInput): { pre: string; main: string } {
      const options: EnforceOptions = { userVariableNames: Object.keys(USER_VARIABLES), preMustSucceed: true, prePipeline: true };
      const enforced = enforcePipelines(buildComposedPipeline(input), options);
      const header = { description: 'enforcement run test (two-file layout)' };
      return { pre: emitPipelineYaml(enforced.pre ?? enforced.main, header), main: emitPipelineYaml(enforced.main, header) };
    }

    it('runs every job of the composed pipeline after the pre jobs ended, post jobs last', async () => {
      const files = enforcedFiles(pipelineInput(false));
      const run = await runChildPipelines(files.pre, files.main, { variables: USER_VARIABLES, manual: ['release'] });
      expect(run.pre.jobs.get('pre-optional')?.status).toBe('allowed-failure');
      const main = run.main;
      if (main === undefined) throw new Error(`the pre pipeline did not pass:\n${run.pre.log}`);
      const preEnd = max(events(run.pre, 'end', ['pre-a', 'pre-b']).map((entry) => entry.at));
      const laterStarts = events(main, 'start', [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS, ...POST_JOBS]);
      // needs: [], .pre, manual and when: always jobs included.
      expect(laterStarts).toHaveLength(PROJECT_JOBS.length + POLICY_MIDDLE_JOBS.length + POST_JOBS.length);
      expect(min(laterStarts.map((entry) => entry.at)) > preEnd).toBe(true);
      const projectEnd = max(events(main, 'end', [...PROJECT_JOBS, ...POLICY_MIDDLE_JOBS]).map((entry) => entry.at));
      expect(min(events(main, 'start', POST_JOBS).map((entry) => entry.at)) > projectEnd).toBe(true);
      // No guard is needed: GitLab's own semantics hold the order.
      expect(files.main).not.toContain('policy_sidecar_marker');
      expect(detailOf(main, 'verify')).toBe("policy's value");
    });

    it('creates no job of the composed pipeline when a pre job fails: when: always, needs: [] and manual included', async () => {
      const files = enforcedFiles(pipelineInput(true));
      const run = await runChildPipelines(files.pre, files.main, { variables: USER_VARIABLES, manual: ['release'] });
      expect(run.pre.jobs.get('pre-a')?.status).toBe('failed');
      expect(run.main).toBeUndefined();
    });
  });
});
