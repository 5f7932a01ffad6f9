/**
 * Attack: bytes that are not UTF-8 in a CI file. GitLab's YAML reader refuses them; a lenient
 * decoder turns them into U+FFFD and composes a pipeline GitLab never would (a key, a rule or a
 * script that differs from what GitLab sees). Expected: compose fails closed (exit 2) with
 * `file:line:column` of the first bad byte, wherever the file is read: the workspace, a local
 * include, a policy file, a CI job's checkout and a policy file from the GitLab API (`compose
 * --job`, as policy:compose runs it); a job variable that is not UTF-8 fails closed by its name.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeJob, jobVariables, writeCheckout, writeJobEnvFile } from '../helpers/ci-job.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli, writeTree } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-non-utf8-test-0123456789';
// `café` in Latin-1: 0xE9 alone is not UTF-8.
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const servers: ServedHandlers[] = [];

afterAll(async () => {
  for (const server of servers) await server.close();
});

function composeWorkspace(root: string, ...extra: string[]) {
  return runRealCli(['compose', '--workspace', root, '--project', 'acme/web', '--branch', 'main', '--source', 'push', ...extra], { cwd: root });
}

function firstLine(stderr: string): string {
  return stderr.split('\n')[0] ?? '';
}

describe('non-UTF-8 bytes fail closed at file:line:column', () => {
  it('the project CI file in the workspace', async () => {
    const root = await writeTree({ 'acme/web/.gitlab-ci.yml': latin1('build:\n  script:\n    - echo caf\u00e9\n') });
    const result = await composeWorkspace(root);
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toBe('policy-sidecar: acme/web/.gitlab-ci.yml:3:15: not valid UTF-8 (byte 0xe9)');
    expect(result.stdout).toBe('');
  });

  it('a local include, after valid multi-byte characters and a real U+FFFD', async () => {
    const root = await writeTree({
      'acme/web/.gitlab-ci.yml': 'include: ci/build.yml\n',
      'acme/web/ci/build.yml': Buffer.concat([Buffer.from('# über \ufffd ok\nbuild:\n  script: [ "', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('" ]\n')]),
    });
    const result = await composeWorkspace(root);
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toMatch(/^policy-sidecar: acme\/web\/ci\/build\.yml:3:14: not valid UTF-8 \(byte 0xc3\)$/);
  });

  it('a policy file in a policy project', async () => {
    const root = await writeTree({
      'acme/web/.gitlab-ci.yml': 'build:\n  script: [make]\n',
      'security/policies/.gitlab/security-policies/policy.yml': latin1('# caf\u00e9\npipeline_execution_policy: []\n'),
    });
    const result = await composeWorkspace(root, '--policy-project', 'security/policies');
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toMatch(/^policy-sidecar: security\/policies\/\.gitlab\/security-policies\/policy\.yml:1:6: /);
  });

  it('validate names the policy file, line and column', async () => {
    const root = await writeTree({ 'policy.yml': latin1('scan_execution_policy:\n  - name: caf\u00e9\n') });
    const result = await runRealCli(['validate', 'policy.yml'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/policy\.yml:2:14: not valid UTF-8 \(byte 0xe9\)/);
  });

  it('in a CI job: the checkout, and a policy file read through the GitLab API', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'non-utf8-api-'));
    await cp(examples, workspace, { recursive: true });
    const policyFile = join(workspace, 'security/policies/.gitlab/security-policies/policy.yml');
    await writeFile(policyFile, Buffer.concat([latin1('# caf\u00e9\n'), await readFile(policyFile)]));
    const job = composeJob();
    const server = await serveHandlers((baseUrl) => gitlabHandlersFor(workspace, { baseUrl, token: TOKEN, job }));
    servers.push(server);
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    const envFile = await writeJobEnvFile(jobVariables(job, server.url, { POLICY_SIDECAR_TOKEN: TOKEN }));
    const args = ['compose', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'];
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: tmpdir() };

    const fromApi = await runRealCli(args, { cwd: checkout, env });
    expect(fromApi.code).toBe(2);
    expect(fromApi.stderr).toMatch(/^policy-sidecar: security\/policies:\.gitlab\/security-policies\/policy\.yml:1:6: .*not valid UTF-8 \(byte 0xe9\)$/m);

    await writeFile(join(checkout, '.gitlab-ci.yml'), latin1('stages: [build]\n# r\u00e9sum\u00e9\n'));
    const fromCheckout = await runRealCli(args, { cwd: checkout, env });
    expect(fromCheckout.code).toBe(2);
    expect(fromCheckout.stderr).toMatch(/^policy-sidecar: (acme\/web:)?\.gitlab-ci\.yml:2:4: .*not valid UTF-8 \(byte 0xe9\)$/m);
    expect(fromApi.stderr + fromCheckout.stderr).not.toContain(TOKEN);
    expect(fromApi.stdout + fromCheckout.stdout).toBe('');
  });

  it('in a CI job: a job variable whose value is not UTF-8 fails closed, naming the variable', async () => {
    const job = composeJob();
    const server = await serveHandlers((baseUrl) => gitlabHandlersFor(examples, { baseUrl, token: TOKEN, job }));
    servers.push(server);
    const checkout = await writeCheckout(join(examples, 'acme/web'));
    const envFile = await writeJobEnvFile(jobVariables(job, server.url, { POLICY_SIDECAR_TOKEN: TOKEN }));
    // A project variable that a rule compares: decoded leniently it would read `caf\uFFFD`.
    await writeFile(envFile, Buffer.concat([await readFile(envFile), latin1('DEPLOY_TARGET=caf\u00e9\0')]));
    const result = await runRealCli(['compose', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'], { cwd: checkout, env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: tmpdir() } });
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toBe("policy-sidecar: the job's variable DEPLOY_TARGET is not valid UTF-8");
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(TOKEN);
  });
});
