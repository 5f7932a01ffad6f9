/**
 * Attacks on "a failed pipeline execution policy pre job stops every project job" by a project
 * Developer or Maintainer who controls the project's `.gitlab-ci.yml`, repository and variables
 * (issue #10 item 4, SPEC §2 "Trust"). Each case composes with the real CLI process, then runs
 * what was composed under gitlab-ci-local where execution matters.
 *
 * Two-file layout (`--pre-out`, what the component uses): the held guarantee is GitLab's own —
 * the composed pipeline is never created after a failed strict pre job (run-child-pipelines.ts),
 * so no project job exists, whatever its `when`, `needs`, variables, image or services.
 * Single-file layout: the guard line, with the job variables that could steer it refused.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { WorkspaceFiles } from '../helpers/temp-workspace.js';
import { runChildPipelines } from '../run/run-child-pipelines.js';
import { runPipeline, timelineLine } from '../run/run-pipeline.js';
import { composeProcess } from './real-cli.js';

const job = (stage: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ stage, script: [timelineLine('start'), timelineLine('end')], ...extra });

/** The attacker's jobs: every kind GitLab could start after a failed pre stage. */
const attackerJobs = {
  stages: ['build', 'test', 'deploy'],
  build: job('build'),
  'sneaky-always': job('test', {
    when: 'always',
    variables: { CI_PIPELINE_ID: '1', PATH: '$CI_PROJECT_DIR/fakebin:/usr/bin:/bin', BASH_ENV: './evil.sh' },
  }),
  'early-dag': job('test', { needs: [] }),
  'notify-failure': job('deploy', { when: 'on_failure' }),
  'with-entrypoint': job('test', {
    when: 'always',
    needs: [],
    image: { name: 'alpine:3.20', entrypoint: ['/bin/sh', '-c', 'echo entrypoint ran'] },
    services: [{ name: 'redis:7', entrypoint: ['/bin/sh', '-c', 'echo service ran'] }],
  }),
};
const PROJECT_JOBS = ['build', 'sneaky-always', 'early-dag', 'notify-failure', 'with-entrypoint'];

/** Files the attacker commits: a marker for this pipeline id, a fake `cat`, a BASH_ENV file. */
const committed = {
  '.policy-sidecar/pre-passed': 'pre-passed:1\n',
  'fakebin/cat': '#!/bin/sh\necho "pre-passed:$CI_PIPELINE_ID"\n',
  'evil.sh': `${timelineLine('evil')}\n`,
};

const gate = {
  gate: { stage: '.pipeline-policy-pre', script: [timelineLine('start'), 'if [ "$FAIL_PRE" = 1 ]; then exit 1; fi', timelineLine('end')] },
};

const pep = (name: string, project: string, file: string) => ({
  name,
  enabled: true,
  pipeline_config_strategy: 'inject_policy',
  content: { include: [{ project, file }] },
});

function workspace(projectCi: Record<string, unknown>, extra: WorkspaceFiles = {}): WorkspaceFiles {
  return {
    'workspace.yml': { projects: { 'shop/web': { id: 41, groups: [7] }, 'sec/policies': { id: 900 }, 'team/relaxed': { id: 901 } } },
    'shop/web/.gitlab-ci.yml': projectCi,
    'sec/policies/.gitlab/security-policies/policy.yml': { pipeline_execution_policy: [pep('Gate', 'sec/policies', 'ci/gate.yml')] },
    'sec/policies/ci/gate.yml': gate,
    ...extra,
  };
}

const jobNames = (yaml: string | undefined): string[] => Object.keys(parse(yaml ?? '') as Record<string, unknown>).filter((key) => key !== 'stages');

describe('two-file layout: GitLab creates no project job after a failed strict pre job', () => {
  it('a when: always job with CI_PIPELINE_ID, PATH and BASH_ENV, an on_failure job, a needs: [] job and one with an entrypoint and services: none exists in any created pipeline', async () => {
    const composed = await composeProcess(workspace(attackerJobs), { project: 'shop/web', policyProjects: ['sec/policies'] });
    expect(composed.code, composed.stderr).toBe(0);
    expect(jobNames(composed.pre)).toEqual(['gate']);
    expect(jobNames(composed.main)).toEqual(expect.arrayContaining(PROJECT_JOBS));
    expect(composed.report?.jobs.find((entry) => entry.name === 'gate')?.pipeline).toBe('pre');

    const run = await runChildPipelines(composed.pre ?? '', composed.main ?? '', { variables: { FAIL_PRE: '1' }, files: committed, executables: ['fakebin/cat'] });
    expect(run.pre.jobs.get('gate')?.status).toBe('failed');
    // GitLab skips policy:pipeline (needs policy:pre, when: on_success): the composed pipeline, and
    // with it every project job, its entrypoint and its services, is never created.
    expect(run.main).toBeUndefined();
    expect(run.pre.timeline.map((entry) => entry.job)).toEqual(['gate']);
  });

  it('once the pre pipeline passed, the composed pipeline runs every project job, all after the pre jobs ended', async () => {
    // gitlab-ci-local needs Docker for services even with the shell executor: this run goes without them.
    const { services: _services, ...withEntrypoint } = attackerJobs['with-entrypoint'];
    const composed = await composeProcess(workspace({ ...attackerJobs, 'with-entrypoint': withEntrypoint }), { project: 'shop/web', policyProjects: ['sec/policies'] });
    const run = await runChildPipelines(composed.pre ?? '', composed.main ?? '', { variables: { FAIL_PRE: '0' } });
    expect(run.main, run.pre.log).toBeDefined();
    const gateEnd = run.pre.timeline.find((entry) => entry.job === 'gate' && entry.event === 'end')?.at ?? 0n;
    const starts = (run.main?.timeline ?? []).filter((entry) => entry.event === 'start');
    expect(starts.map((entry) => entry.job).sort(), run.main?.log).toEqual(['build', 'early-dag', 'sneaky-always', 'with-entrypoint']);
    for (const start of starts) expect(start.at > gateEnd, start.job).toBe(true);
    // on_failure: nothing failed in this pipeline.
    expect(run.main?.jobs.get('notify-failure')?.started).toBe(false);
  });

  it("one policy project's relaxing experiments do not relax another's strict pre job", async () => {
    const files = workspace(attackerJobs, {
      'team/relaxed/.gitlab/security-policies/policy.yml': {
        experiments: { ensure_pipeline_policy_pre_succeeds: { enabled: false } },
        pipeline_execution_policy: [pep('Relaxed', 'team/relaxed', 'ci/lint.yml')],
      },
      'team/relaxed/ci/lint.yml': { 'relaxed-lint': job('.pipeline-policy-pre') },
    });
    const composed = await composeProcess(files, { project: 'shop/web', policyProjects: ['team/relaxed', 'sec/policies'] });
    expect(composed.code, composed.stderr).toBe(0);
    // The strict pre job goes to the pre pipeline; the relaxed one keeps GitLab's default in the main pipeline.
    expect(jobNames(composed.pre)).toEqual(['gate']);
    expect(jobNames(composed.main)).toContain('relaxed-lint');
    const run = await runChildPipelines(composed.pre ?? '', composed.main ?? '', { variables: { FAIL_PRE: '1' }, files: committed });
    expect(run.main).toBeUndefined();

    // Single file: the strict job keeps the barrier strict and every later job guarded.
    const plain = { ...files, 'shop/web/.gitlab-ci.yml': { stages: ['test'], cleanup: job('test', { when: 'always' }) } };
    const single = await composeProcess(plain, { project: 'shop/web', policyProjects: ['team/relaxed', 'sec/policies'], singleFile: true });
    expect(single.code, single.stderr).toBe(0);
    const pipeline = parse(single.main ?? '') as Record<string, { when?: string; script?: string[] }>;
    expect(pipeline['policy-sidecar:pre-barrier']?.when).toBe('on_success');
    expect(pipeline['cleanup']?.script?.[0]).toContain('policy_sidecar_marker');
  });
});

describe('single-file layout: the guard, and the job variables that could steer it', () => {
  it('a guarded job setting CI_PIPELINE_ID and BASH_ENV is refused at its file:line:column', async () => {
    const composed = await composeProcess(workspace(attackerJobs), { project: 'shop/web', policyProjects: ['sec/policies'], singleFile: true });
    expect(composed.code).toBe(2);
    expect(composed.stderr).toMatch(/shop\/web\/\.gitlab-ci\.yml:\d+:\d+: sneaky-always job: variables BASH_ENV, CI_PIPELINE_ID cannot be set/);
    expect(composed.stderr).toContain('--pre-out');
    expect(composed.main).toBeUndefined();
  });

  it('PATH to a fake cat and a committed marker do not pass the guard, which runs builtins only', async () => {
    const pathOnly = {
      stages: ['test'],
      'sneaky-always': job('test', { when: 'always', variables: { PATH: '$CI_PROJECT_DIR/fakebin:/usr/bin:/bin' } }),
    };
    const composed = await composeProcess(workspace(pathOnly), { project: 'shop/web', policyProjects: ['sec/policies'], singleFile: true });
    expect(composed.code, composed.stderr).toBe(0);
    // GitLab starts a when: always job after the failed pre job; gitlab-ci-local starts it by name.
    const run = await runPipeline(composed.main ?? '', { only: ['sneaky-always'], files: committed, executables: ['fakebin/cat'] });
    const sneaky = run.jobs.get('sneaky-always');
    expect(sneaky?.status, run.log).toBe('failed');
    expect(sneaky?.output.join('\n')).toContain('policy-sidecar: not run');
    expect(run.timeline).toEqual([]);
  });
});
