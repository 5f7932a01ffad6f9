/**
 * Attacks that make a composed pipeline enforce nothing while looking green: no policy read at
 * all, or the project's own jobs dropped because its CI file "is not there". Each case runs the
 * real CLI process and must fail closed with a named message.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeWorkspace } from '../helpers/temp-workspace.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'src/cli/main.ts'), ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', FORCE_COLOR: '0', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const policy = `pipeline_execution_policy:
  - name: Gate
    enabled: true
    pipeline_config_strategy: inject_policy
    content:
      include:
        - project: sec/policies
          file: gate.yml
`;

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
      'sec/policies/.gitlab/security-policies/policy.yml': `${policy}    policy_scope:\n      groups:\n        including: [{ id: 7 }]\n`,
      'sec/policies/gate.yml': 'gate:\n  stage: .pipeline-policy-pre\n  script: [check]\n',
    });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web/', '--policy-project', 'sec/policies'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gate:');
  });

  it('a misnamed --config-path, to get a policy-only pipeline without the project jobs: "Missing CI config file"', async () => {
    const root = await writeWorkspace({
      'app/web/.gitlab-ci.yml': { build: { script: ['make'] } },
      'sec/policies/.gitlab/security-policies/policy.yml': policy,
      'sec/policies/gate.yml': 'gate:\n  stage: .pipeline-policy-pre\n  script: [check]\n',
    });
    const result = await cli(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--config-path', '.gitlab-ci.yaml'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^policy-sidecar: app\/web\/\.gitlab-ci\.yaml: Missing CI config file/);
  });
});
