/**
 * The whole product path, proven by running it: a workspace (a project and its security policy
 * project) is composed by the CLI, and the composed YAML is executed by gitlab-ci-local with the
 * shell executor. Ordering is read from the jobs' own timestamps. `--var` on compose and
 * `--variable` on the run stand for the same project CI/CD variables.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.js';
import { runPipeline, timelineLine, type PipelineRun } from '../run/run-pipeline.js';

const USER_VARIABLES = { SCAN_LEVEL: 'off', DEPLOY_TOKEN_NAME: 'ci' };
let workspace: string;

const job = (stage: string, extra: Record<string, unknown> = {}, work: string[] = []) => ({
  stage,
  script: [timelineLine('start'), ...work, timelineLine('end')],
  rules: [{ when: 'on_success' }],
  ...extra,
});

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'compose-run-'));
  const files: Record<string, unknown> = {
    'workspace.yml': { projects: { 'shop/web': { id: 41, groups: [7] }, 'sec/policies': { id: 77 } } },
    'shop/web/.gitlab-ci.yml': {
      stages: ['build', 'test', 'deploy'],
      default: { before_script: ['echo project default'] },
      variables: { SCAN_LEVEL: 'project-yaml' },
      setup: job('.pre'),
      build: job('build', {}, [`${timelineLine('saw', '"$SCAN_LEVEL"')}`]),
      lint: job('test', { needs: [] }),
      unit: job('test', { needs: ['build'] }),
      cleanup: job('deploy', { rules: [{ when: 'always' }] }),
      release: job('deploy', { needs: [], rules: [{ when: 'manual' }] }),
    },
    'sec/policies/.gitlab/security-policies/policy.yml': {
      pipeline_execution_policy: [
        {
          name: 'Gate',
          enabled: true,
          pipeline_config_strategy: 'inject_policy',
          content: { include: [{ project: 'sec/policies', file: 'ci/gate.yml' }] },
        },
      ],
    },
    'sec/policies/ci/gate.yml': {
      variables: { SCAN_LEVEL: 'strict' },
      'pre-scan': job('.pipeline-policy-pre', {}, ['sleep 1', 'if [ "$FAIL_PRE" = 1 ]; then exit 1; fi', timelineLine('saw', '"$SCAN_LEVEL"')]),
      'post-report': job('.pipeline-policy-post', { needs: [] }, [timelineLine('saw', '"$SCAN_LEVEL"')]),
    },
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), stringify(content));
  }
});

async function composeAndRun(variables: Record<string, string>): Promise<PipelineRun> {
  let yaml = '';
  let errors = '';
  const argv = ['compose', '--workspace', workspace, '--project', 'shop/web', '--policy-project', 'sec/policies', '--branch', 'main'];
  for (const [name, value] of Object.entries(variables)) argv.push('--var', `${name}=${value}`);
  const code = await runCli(argv, {
    stdout: { write: (text) => void (yaml += text) },
    stderr: { write: (text) => void (errors += text) },
    env: {},
    cwd: workspace,
  });
  expect(code, errors).toBe(0);
  return runPipeline(yaml, { variables, manual: ['release'] });
}

const projectJobs = ['setup', 'build', 'lint', 'unit', 'cleanup', 'release'];
const at = (run: PipelineRun, job: string, event: string) => run.timeline.find((entry) => entry.job === job && entry.event === event);

describe('composed by the CLI, run by gitlab-ci-local', () => {
  it('the policy pre job ends before any project job starts; the post job starts after all of them; the policy value wins', async () => {
    const run = await composeAndRun(USER_VARIABLES);
    const preEnd = at(run, 'pre-scan', 'end');
    expect(preEnd, run.log).toBeDefined();
    for (const name of projectJobs) {
      const start = at(run, name, 'start');
      expect(start, `${name} did not run:\n${run.log}`).toBeDefined();
      expect(start!.at > preEnd!.at, `${name} started before the pre job ended`).toBe(true);
    }
    const postStart = at(run, 'post-report', 'start');
    expect(postStart, run.log).toBeDefined();
    for (const name of projectJobs) expect(postStart!.at > at(run, name, 'end')!.at, `post started before ${name} ended`).toBe(true);
    // A project CI/CD variable beats the project's YAML in project jobs, as in GitLab...
    expect(at(run, 'build', 'saw')?.detail).toBe('off');
    // ...but cannot change the policy's enforced value.
    expect(at(run, 'pre-scan', 'saw')?.detail).toBe('strict');
    expect(at(run, 'post-report', 'saw')?.detail).toBe('strict');
  });

  // gitlab-ci-local starts nothing that waits on a failed job, where GitLab would still start
  // `when: always` jobs; test/run/enforcement.test.ts starts those by name to prove the guard.
  it('a failing pre job leaves every project job unrun, needs: [], manual and when: always included', async () => {
    const run = await composeAndRun({ ...USER_VARIABLES, FAIL_PRE: '1' });
    expect(run.jobs.get('pre-scan')?.status, run.log).toBe('failed');
    for (const name of projectJobs) expect(at(run, name, 'start'), `${name} ran after a failed pre job`).toBeUndefined();
  });
});
