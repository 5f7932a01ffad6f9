/**
 * The scripts of `policy:compose` and `policy:evaluate`, as our engine interpolates them from the
 * component inputs, run by a POSIX shell with a stand-in `policy-sidecar` (the input `cli`) that
 * prints its arguments: the command line each set of inputs gives, the recursion guard, and the
 * exit status passed through. test/attacks/clean-environment.test.ts runs the same scripts with
 * the real CLI and hostile variables.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OracleContext } from '../oracle/gitlab-ci-local.js';
import { GITLAB_URL, includingConfig, jobNamed, resolveWithOurEngine, scriptOf, type ComponentName, type Inputs } from './template-fixtures.js';

interface ShellRun {
  readonly code: number;
  readonly args: string[];
  readonly stderr: string;
}

let stubDir = '';
beforeAll(async () => {
  stubDir = await mkdtemp(join(tmpdir(), 'policy-sidecar-stub-'));
  const stub = join(stubDir, 'policy-sidecar');
  // Its environment is empty (env -i): STUB_EXIT arrives with the job's variables on standard input.
  await writeFile(stub, '#!/bin/sh\nfor arg in "$@"; do printf \'%s\\n\' "$arg"; done\ncode=$(tr \'\\0\' \'\\n\' | sed -n \'s/^STUB_EXIT=//p\')\nexit "${code:-0}"\n');
  await chmod(stub, 0o755);
});
afterAll(async () => {
  await rm(stubDir, { recursive: true, force: true });
});

const PUSH: OracleContext = { source: 'push', branch: 'main' };
const MR: OracleContext = { source: 'merge_request_event', branch: 'feature/a' };

async function runComposeScript(component: ComponentName, inputs: Inputs, env: Record<string, string>): Promise<ShellRun> {
  return runJobScript('policy:compose', PUSH, component, inputs, env);
}

async function runJobScript(jobName: string, context: OracleContext, component: ComponentName, inputs: Inputs, env: Record<string, string>): Promise<ShellRun> {
  const pipeline = await resolveWithOurEngine(includingConfig(component, { cli: join(stubDir, 'policy-sidecar'), ...inputs }), context);
  const script = scriptOf(jobNamed(pipeline, jobName)).join('\n');
  // `cli` is an input: the stub is given as one (each case's inputs may not name it).
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { env: { PATH: `${stubDir}:/usr/bin:/bin`, ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, args: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
  });
}

const job = ['--job', '--job-env-file', '/dev/stdin', '--gitlab-url', GITLAB_URL];
const outputs = ['--out', 'policy-pipeline.yml', '--pre-out', 'policy-pre-pipeline.yml', '--report', 'policy-report.json', '--junit', 'policy-junit.xml', '--summary'];
const enforcedEnv = { CI_CONFIG_PATH: 'pipeline.yml@platform/ci' };

interface CommandLineCase {
  readonly name: string;
  readonly component: ComponentName;
  readonly inputs: Inputs;
  readonly env: Record<string, string>;
  readonly args: readonly string[];
}

describe('policy:compose command line', () => {
  it.each<CommandLineCase>([
    {
      name: 'enforced defaults: the project .gitlab-ci.yml, policy projects left to the CLI, fail closed',
      component: 'policy-sidecar',
      inputs: {},
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'info'],
    },
    {
      name: 'policy projects split on commas, fail_open and log level from inputs',
      component: 'policy-sidecar',
      inputs: { policy_projects: 'security/policies,acme/security/policies', fail_open: true, log_level: 'debug' },
      env: enforcedEnv,
      args: [
        'compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'debug',
        '--policy-project', 'security/policies', '--policy-project', 'acme/security/policies',
        '--fail-open',
      ],
    },
    {
      name: 'templates: a project folder at a ref, as --templates',
      component: 'policy-sidecar-opt-in',
      inputs: { templates: 'project:platform/scan-templates@v2:scans' },
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab/project-ci.yml', ...outputs, '--log-level', 'info', '--templates', 'project:platform/scan-templates@v2:scans'],
    },
    {
      name: 'templates: an absolute folder in the image',
      component: 'policy-sidecar',
      inputs: { templates: '/opt/scan-templates' },
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'info', '--templates', '/opt/scan-templates'],
    },
    {
      name: 'cache folder, proxy and CA file: inputs as flags, never variables',
      component: 'policy-sidecar',
      inputs: { cache_dir: '/cache/policy-sidecar', proxy: 'http://proxy.example.com:3128', ca_file: '/etc/ssl/gitlab-ca.pem' },
      env: { ...enforcedEnv, POLICY_SIDECAR_CACHE_DIR: '/tmp/forged', HTTPS_PROXY: 'http://evil:1', NODE_EXTRA_CA_CERTS: 'evil.pem' },
      args: [
        'compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'info',
        '--cache-dir', '/cache/policy-sidecar', '--proxy', 'http://proxy.example.com:3128', '--ca-file', '/etc/ssl/gitlab-ca.pem',
      ],
    },
    {
      name: 'fail_open false adds nothing',
      component: 'policy-sidecar',
      inputs: { fail_open: false },
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'info'],
    },
    {
      name: 'ci_templates and allow_no_policies: --ci-templates from a project folder at a ref, --allow-no-policies',
      component: 'policy-sidecar',
      inputs: { ci_templates: 'project:platform/ci-templates@v17.11.0-ee:ci-templates', allow_no_policies: true },
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab-ci.yml', ...outputs, '--log-level', 'info', '--ci-templates', 'project:platform/ci-templates@v17.11.0-ee:ci-templates', '--allow-no-policies'],
    },
    {
      name: 'opt-in: ci_templates as an absolute folder in the image',
      component: 'policy-sidecar-opt-in',
      inputs: { ci_templates: '/opt/gitlab-ci-templates' },
      env: enforcedEnv,
      args: ['compose', ...job, '--config-path', '.gitlab/project-ci.yml', ...outputs, '--log-level', 'info', '--ci-templates', '/opt/gitlab-ci-templates'],
    },
    {
      name: 'opt-in defaults: the project jobs file beside .gitlab-ci.yml',
      component: 'policy-sidecar-opt-in',
      inputs: {},
      env: { CI_CONFIG_PATH: '.gitlab-ci.yml' },
      args: ['compose', ...job, '--config-path', '.gitlab/project-ci.yml', ...outputs, '--log-level', 'info'],
    },
  ])('$name', async ({ component, inputs, env, args }) => {
    const run = await runComposeScript(component, inputs, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.args).toEqual(args);
  });

  it.each<{ name: string; env: Record<string, string> }>([
    { name: 'CI_CONFIG_PATH names the same file', env: { CI_CONFIG_PATH: '.gitlab-ci.yml' } },
    { name: 'CI_CONFIG_PATH is unset (GitLab default .gitlab-ci.yml)', env: {} },
  ])('refuses to compose the file that runs the job itself: $name', async ({ env }) => {
    const run = await runComposeScript('policy-sidecar-opt-in', { config_path: '.gitlab-ci.yml' }, env);
    expect(run.code).toBe(2);
    expect(run.args).toEqual([]);
    expect(run.stderr).toContain("config_path '.gitlab-ci.yml' is the file that runs this job");
  });

  it('fails the job with the exit status of policy-sidecar (fail closed)', async () => {
    const run = await runComposeScript('policy-sidecar', {}, { ...enforcedEnv, STUB_EXIT: '3' });
    expect(run.code).toBe(3);
  });
});

describe('policy:evaluate command line', () => {
  const approvals = ['evaluate', ...job, '--report', 'policy-approvals.json', '--junit', 'policy-approvals-junit.xml'];

  it.each<CommandLineCase>([
    {
      name: 'API mode (--job): the merge request and target branch come from GitLab through the job token',
      component: 'policy-sidecar',
      inputs: { evaluate: true },
      env: {},
      args: [...approvals, '--log-level', 'info'],
    },
    {
      name: 'the same policy projects and log level as compose',
      component: 'policy-sidecar-opt-in',
      inputs: { evaluate: true, evaluate_allow_failure: true, policy_projects: 'security/policies,acme/security/policies', log_level: 'debug' },
      env: {},
      args: [...approvals, '--log-level', 'debug', '--policy-project', 'security/policies', '--policy-project', 'acme/security/policies'],
    },
  ])('$name', async ({ component, inputs, env, args }) => {
    const run = await runJobScript('policy:evaluate', MR, component, inputs, env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.args).toEqual(args);
  });

  it('ends with the exit status of policy-sidecar (1: a violated policy)', async () => {
    const run = await runJobScript('policy:evaluate', MR, 'policy-sidecar', { evaluate: true }, { STUB_EXIT: '1' });
    expect(run.code).toBe(1);
  });
});
