/**
 * Attacks that make a composed pipeline enforce nothing while looking green: no policy read at
 * all, or the project's own jobs dropped because its CI file "is not there". Each case runs the
 * real CLI process and must fail closed with a named message.
 */
import { describe, expect, it } from 'vitest';
import { GATE_POLICY, writeWorkspace } from '../helpers/temp-workspace.js';
import { runRealCli } from './real-cli.js';

async function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  return runRealCli(args, { cwd, env: { FORCE_COLOR: '0', ...env } });
}

describe('attacks: a pipeline that enforces nothing must not pass', () => {
  it('policy projects left out (none given, none linked): compose fails with no-policies, writes no pipeline', async () => {
    const root = await writeWorkspace({ 'app/web/.gitlab-ci.yml': { build: { script: ['make'] } } });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web', '--out', 'p.yml'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^policy-sidecar: no security policy project was given or linked, so no policy is enforced/);
  });

  it('a policy project emptied of policies: compose fails with no-policies', async () => {
    const root = await writeWorkspace({
      'app/web/.gitlab-ci.yml': { build: { script: ['make'] } },
      'sec/policies/.gitlab/security-policies/policy.yml': 'pipeline_execution_policy: []\nscan_execution_policy: []\n',
    });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^policy-sidecar: security policy project sec\/policies holds no policies/);
  });

  it('the project path written with a trailing slash, to fall out of group scope: the policies still apply', async () => {
    const root = await writeWorkspace({
      'workspace.yml': { projects: { 'app/web': { id: 5, groups: [7] } } },
      'app/web/.gitlab-ci.yml': { build: { script: ['make'] } },
      'sec/policies/.gitlab/security-policies/policy.yml': `${GATE_POLICY}    policy_scope:\n      groups:\n        including: [{ id: 7 }]\n`,
      'sec/policies/gate.yml': 'gate:\n  stage: .pipeline-policy-pre\n  script: [check]\n',
    });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web/', '--policy-project', 'sec/policies'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gate:');
  });

  it('a misnamed --config-path, to get a policy-only pipeline without the project jobs: "Missing CI config file"', async () => {
    const root = await writeWorkspace({
      'app/web/.gitlab-ci.yml': { build: { script: ['make'] } },
      'sec/policies/.gitlab/security-policies/policy.yml': GATE_POLICY,
      'sec/policies/gate.yml': 'gate:\n  stage: .pipeline-policy-pre\n  script: [check]\n',
    });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--config-path', '.gitlab-ci.yaml'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^policy-sidecar: app\/web\/\.gitlab-ci\.yaml: Missing CI config file/);
  });
});
