/**
 * A newcomer's first hour (issue #11 part B): each defect found, run in-process against the
 * bundled example or a small workspace, with the outcome the fix promises.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_POLICY, runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';

const repoRoot = join(import.meta.dirname, '../..');
const example = ['--workspace', 'examples/workspace', '--project', 'acme/web'];

describe('zero policies is never silent', () => {
  it('compose without a policy project fails with no-policies (exit 2) and names the way out', async () => {
    const run = await runInProcess(['compose', ...example], repoRoot);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^policy-sidecar: no security policy project was given or linked, so no policy is enforced\n {2}hint: .*--allow-no-policies/);
  });

  it('--allow-no-policies composes, with a warning on standard error and in the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-policies-'));
    const run = await runInProcess(['compose', ...example, '--allow-no-policies', '--out', join(dir, 'p.yml'), '--report', join(dir, 'r.json')], repoRoot);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('policy-sidecar: WARNING: no security policy project was given or linked, so no policy is enforced\n');
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as { warnings: { code: string }[] };
    expect(report.warnings).toEqual([{ code: 'no-policies', message: 'no security policy project was given or linked, so no policy is enforced' }]);
  });

  it('a policy project that holds no policies counts as none', async () => {
    const root = await writeWorkspace({
      'app/web/.gitlab-ci.yml': { build: { script: ['make'] } },
      'sec/policies/.gitlab/security-policies/policy.yml': 'pipeline_execution_policy: []\n',
    });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('security policy project sec/policies holds no policies, so no policy is enforced');
  });

  it('explain and compose --dry-run warn, and succeed', async () => {
    for (const command of [['explain', ...example], ['compose', ...example, '--dry-run']]) {
      const run = await runInProcess(command, repoRoot);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('WARNING: no security policy project was given or linked');
    }
    const explained = await runInProcess(['explain', ...example], repoRoot);
    expect(explained.stdout).toContain('WARNING: no security policy project was given or linked');
  });

  it('evaluate without policies fails with no-policies, and --allow-no-policies lets it pass', async () => {
    const args = ['evaluate', ...example, '--mr-target', 'main', '--reports', 'examples/workspace/reports/mr'];
    const refused = await runInProcess(args, repoRoot);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^policy-sidecar: no security policy project was given or linked/);
    const allowed = await runInProcess([...args, '--allow-no-policies'], repoRoot);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('WARNING: no security policy project');
  });

  it('--help promises POLICY_SIDECAR_POLICY_PROJECTS only where it is read: on a terminal with the API, not in workspace mode or a job', async () => {
    const help = await runInProcess(['compose', '--help'], repoRoot);
    expect(help.stdout).toContain('outside --job, POLICY_SIDECAR_POLICY_PROJECTS (comma-separated) first; in workspace mode, none.');
    expect(help.stdout).toContain('--allow-no-policies');
  });
});

describe('project paths are normalised', () => {
  it.each(['acme/web/', '/acme/web', ' acme/web '])('%j finds the project and its group- and framework-scoped policies', async (path) => {
    const run = await runInProcess(['explain', '--workspace', 'examples/workspace', '--project', path, '--policy-project', '/security/policies/'], repoRoot);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Pipeline for acme/web (push on main)');
    expect(run.stdout).toMatch(/applied +"Supply-chain checks"/);
    expect(run.stdout).toMatch(/applied +"Compliance audit"/);
  });

  it.each(['acme//web', 'acme/../web', '/'])('%j is a usage error', async (path) => {
    const run = await runInProcess(['compose', '--workspace', 'examples/workspace', '--project', path], repoRoot);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-sidecar: --project .* is not a project path/);
  });
});

describe('a missing or misnamed CI file is an error, not a policy-only pipeline', () => {
  it('--config-path naming a file that is not there: "Missing CI config file", with the file that is', async () => {
    const run = await runInProcess(['compose', ...example, '--policy-project', 'security/policies', '--config-path', '.gitlab-ci.yaml'], repoRoot);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-sidecar: examples/workspace/acme/web/.gitlab-ci.yaml: Missing CI config file\n  hint: The project has .gitlab-ci.yml: pass it with --config-path.\n');
  });

  it('a project folder with no files: the repository is missing (exit 3)', async () => {
    const root = await writeWorkspace({ 'workspace.yml': { projects: { 'app/web': { id: 1 } } }, 'sec/policies/.gitlab/security-policies/policy.yml': GATE_POLICY });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^policy-sidecar: app\/web\/\.gitlab-ci\.yml: Missing CI config file: the repository of app\/web is missing or empty/);
  });

  it('no CI file and a policy job: the policy-only pipeline GitLab makes', async () => {
    const root = await writeWorkspace({ 'app/web/README.md': 'no CI here\n', 'sec/policies/.gitlab/security-policies/policy.yml': GATE_POLICY, 'sec/policies/gate.yml': gateCi });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('gate:');
  });

  it('no CI file and no policy job for this pipeline: "Missing CI config file"', async () => {
    const root = await writeWorkspace({
      'app/web/README.md': 'no CI here\n',
      'sec/policies/.gitlab/security-policies/policy.yml': GATE_POLICY.replace('enabled: true', 'enabled: false'),
      'sec/policies/gate.yml': gateCi,
    });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-sidecar: app\/web\/\.gitlab-ci\.yml: Missing CI config file\n/);
  });
});

describe('a job named like a global keyword', () => {
  it.each([
    ['image', 'image config contains unknown keys: stage, script'],
    ['cache', 'cache config contains unknown keys: stage, script'],
    ['services', 'services config should be a array'],
  ])('%s: GitLab\'s error at file:line:column, not a body copied into every job', async (name, message) => {
    const root = await writeWorkspace({ 'app/web/.gitlab-ci.yml': `build:\n  script: [make]\n${name}:\n  stage: test\n  script:\n    - echo hi\n` });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--allow-no-policies'], root);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`policy-sidecar: app/web/.gitlab-ci.yml:3:1: ${message}`);
  });

  it('validate reports it too', async () => {
    const root = await writeWorkspace({ 'app/web/.gitlab-ci.yml': 'build:\n  script: [make]\nimage:\n  script: [echo]\n' });
    const run = await runInProcess(['validate', 'app/web'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('app/web/.gitlab-ci.yml:3:1: image config contains unknown keys: script');
  });
});

describe('validate checks what each policy includes, as compose will read it', () => {
  it('a missing policy CI file and one with a YAML error make the policy project invalid', async () => {
    const twoPolicies = `${GATE_POLICY}  - name: Broken
    enabled: true
    pipeline_config_strategy: inject_policy
    content:
      include:
        - project: sec/policies
          file: broken.yml
  - name: Missing
    enabled: true
    pipeline_config_strategy: inject_policy
    content:
      include:
        - project: sec/policies
          file: missing.yml
`;
    const root = await writeWorkspace({
      'sec/policies/.gitlab/security-policies/policy.yml': twoPolicies,
      'sec/policies/gate.yml': gateCi,
      'sec/policies/broken.yml': 'job:\n  script: [a\n',
    });
    const run = await runInProcess(['validate', 'sec/policies'], root);
    expect(run.code).toBe(2);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('sec/policies/.gitlab/security-policies/policy.yml: valid');
    expect(lines[1]).toMatch(/^sec\/policies\/broken\.yml:\d+:\d+: Pipeline execution policy error: .* \(policy "Broken"\)$/);
    expect(lines[2]).toMatch(/^sec\/policies\/\.gitlab\/security-policies\/policy\.yml:\d+:\d+: Pipeline execution policy error: policy "Missing" includes sec\/policies:missing\.yml, which does not exist$/);
  });
});

describe('an error names its file once', () => {
  it('a policy project without policy.yml', async () => {
    const root = await writeWorkspace({ 'app/web/.gitlab-ci.yml': { build: { script: ['make'] } }, 'sec/p/README.md': 'empty\n' });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/p'], root);
    expect(run.code).toBe(2);
    const first = run.stderr.split('\n')[0] ?? '';
    expect(first).toBe('policy-sidecar: sec/p/.gitlab/security-policies/policy.yml: the security policy project sec/p has no policy file on its default branch');
  });

  it('a CI file over the size limit', async () => {
    const root = await writeWorkspace({ 'app/web/.gitlab-ci.yml': `job:\n  script:\n${'    - echo "x"\n'.repeat(150_000)}` });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--allow-no-policies'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^policy-sidecar: app\/web\/\.gitlab-ci\.yml: the file is \d+ bytes, more than the limit of 2097152 bytes\n {2}hint: Split the file with include:\.\n$/);
  });
});

describe('outputs', () => {
  it('an output in a missing folder is a usage error naming the path (exit 2, not 70)', async () => {
    const run = await runInProcess(['compose', ...example, '--policy-project', 'security/policies', '--out', 'no/such/folder/p.yml'], repoRoot);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('policy-sidecar: cannot write --out no/such/folder/p.yml: its folder does not exist\n  hint: Create the folder no/such/folder first, or choose another path.\n');
  });

  it('evaluate names the files of --reports it did not read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'));
    await cp(join(repoRoot, 'examples/workspace/reports/mr'), dir, { recursive: true });
    await writeFile(join(dir, 'scan-output.txt'), 'not a report\n');
    const run = await runInProcess(['evaluate', ...example, '--policy-project', 'security/policies', '--mr-target', 'main', '--reports', dir], repoRoot);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('policy-sidecar: WARNING: --reports: not read, not a security report or SBOM by name or content: scan-output.txt\n');
  });

  it('--dry-run prints the diff before the composed YAML', async () => {
    const run = await runInProcess(['compose', ...example, '--policy-project', 'security/policies', '--dry-run'], repoRoot);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith("# Diff against the project's own pipeline:\n")).toBe(true);
    expect(run.stdout.indexOf('# The composed pipeline:')).toBeGreaterThan(run.stdout.indexOf('+++ '));
  });
});

const gateCi = 'gate:\n  stage: .pipeline-policy-pre\n  script: [check]\n';
