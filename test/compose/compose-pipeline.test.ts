/**
 * Composition through the CLI, on small workspaces: the reference behaviours decided at the
 * pipeline level (sources, [skip ci], reserved stages, override variables), failing closed and
 * --fail-open, limits from flags, and the report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pep, runInProcess, writeWorkspace, type WorkspaceFiles } from '../helpers/temp-workspace.js';

const policyFile = (...policies: Record<string, unknown>[]) => ({ pipeline_execution_policy: policies });

const base: WorkspaceFiles = {
  'workspace.yml': { projects: { 'app/web': { id: 5, groups: [1] }, 'sec/policies': { id: 900 } } },
  'app/web/.gitlab-ci.yml': { build: { stage: 'build', script: ['make'] } },
  'sec/policies/.gitlab/security-policies/policy.yml': policyFile(pep('Gate', 'ci/gate.yml')),
  'sec/policies/ci/gate.yml': { gate: { stage: '.pipeline-policy-pre', script: ['check'], rules: [{ when: 'always' }] } },
};

async function compose(files: WorkspaceFiles, ...flags: string[]) {
  const root = await writeWorkspace({ ...base, ...files });
  const run = await runInProcess(
    ['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--report', join(root, 'report.json'), ...flags],
    root,
  );
  const report = run.code === 0 ? (JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as Report) : undefined;
  const jobs = run.code === 0 ? Object.keys(parse(run.stdout) as Record<string, unknown>).filter((key) => key !== 'stages') : [];
  return { ...run, report, jobs };
}

interface Report {
  policies: { name: string; applied: boolean; reason: string }[];
  jobs: { name: string; origin: string; stage: string }[];
  policyFailure: { code: string } | null;
  created: boolean;
}

describe('composition at the pipeline level', () => {
  it('16: a project job in a reserved policy stage is a configuration error, with or without policies', async () => {
    const files = { 'app/web/.gitlab-ci.yml': { sneaky: { stage: '.pipeline-policy-pre', script: ['x'] } } };
    const withPolicies = await compose(files);
    expect(withPolicies.code).toBe(2);
    expect(withPolicies.stderr).toMatch(/chosen stage \.pipeline-policy-pre does not exist/);
    const root = await writeWorkspace({ ...base, ...files });
    const alone = await runInProcess(['compose', '--workspace', root, '--project', 'app/web'], root);
    expect(alone.code).toBe(2);
  });

  it('40: a child pipeline (parent_pipeline source) gets no policy jobs', async () => {
    const { code, jobs, report } = await compose({}, '--source', 'parent_pipeline');
    expect(code).toBe(0);
    expect(jobs).toEqual(['build']);
    expect(report?.policies[0]).toMatchObject({ applied: false, reason: expect.stringContaining('parent_pipeline') });
  });

  it('41: [skip ci] is ignored when a policy applies without skip_ci', async () => {
    const { jobs } = await compose({}, '--var', 'CI_COMMIT_MESSAGE=wip [skip ci]');
    expect(jobs).toEqual(expect.arrayContaining(['build', 'gate']));
  });

  it.each([
    ['75', false],
    ['76', true],
  ])('42: skip_ci allowlist: user %s → pipeline runs: %s', async (user, runs) => {
    const files = {
      'sec/policies/.gitlab/security-policies/policy.yml': policyFile(
        pep('Gate', 'ci/gate.yml', { skip_ci: { allowed: false, allowlist: { users: [{ id: 75 }] } } }),
      ),
    };
    const { report } = await compose(files, '--var', 'CI_COMMIT_MESSAGE=docs [ci skip]', '--var', `GITLAB_USER_ID=${user}`);
    expect(report?.created).toBe(runs);
  });

  it('36: under override_project_ci the project file comes back as policy jobs, so its YAML variables are enforced', async () => {
    const files = {
      'app/web/.gitlab-ci.yml': { show: { script: ['echo "$MY_VAR"'], variables: { MY_VAR: 'Project job variable value' } } },
      'sec/policies/.gitlab/security-policies/policy.yml': policyFile(
        pep('Override', 'ci/override.yml', { pipeline_config_strategy: 'override_project_ci' }),
      ),
      'sec/policies/ci/override.yml': { include: [{ project: '$CI_PROJECT_PATH', file: '$CI_CONFIG_PATH' }] },
    };
    const { stdout, report } = await compose(files, '--var', 'MY_VAR=from settings');
    expect(report?.jobs.find((job) => job.name === 'show')?.origin).toBe('policy');
    const show = (parse(stdout) as Record<string, { script: string[] }>)['show'];
    expect(show?.script.some((line) => line === "export MY_VAR='Project job variable value'")).toBe(true);
    expect(stdout).not.toContain('from settings');
  });

  it('a project without CI configuration still gets the policy jobs', async () => {
    const root = await writeWorkspace({ ...base, 'app/web/.gitlab-ci.yml': undefined, 'app/web/README.md': 'no CI here' });
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(parse(run.stdout) as object)).toContain('gate');
  });

  describe('fails closed, unless told otherwise', () => {
    const broken = { 'sec/policies/.gitlab/security-policies/policy.yml': policyFile({ name: 'Gate', enabled: 'yes please' }) };

    it('an invalid policy file stops composing with its file:line:column', async () => {
      const { code, stderr } = await compose(broken);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^policy-sidecar: .*sec\/policies\/\.gitlab\/security-policies\/policy\.yml:\d+:\d+: /);
    });

    it('a missing policy project or policy CI file stops composing', async () => {
      const root = await writeWorkspace(base);
      const missing = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'nobody/here'], root);
      expect(missing.code).toBe(3);
      const noCi = await compose({ 'sec/policies/ci/gate.yml': undefined, 'sec/policies/.gitlab/security-policies/policy.yml': policyFile(pep('Gate', 'ci/absent.yml')) });
      expect(noCi.code).toBe(2);
      expect(noCi.stderr).toContain('ci/absent.yml');
    });

    it('--fail-open composes the project pipeline alone, warns, and says so in the report', async () => {
      const { code, stderr, jobs, report } = await compose(broken, '--fail-open');
      expect(code).toBe(0);
      expect(stderr).toContain('WARNING: composing WITHOUT policies');
      expect(jobs).toEqual(['build']);
      expect(report?.policyFailure).not.toBeNull();
    });

    it('--fail-open does not excuse an invalid project configuration', async () => {
      const { code } = await compose({ 'app/web/.gitlab-ci.yml': 'build: [' }, '--fail-open');
      expect(code).toBe(2);
    });
  });

  it('limits come from flags: --pipeline-policy-limit 1 keeps the first policy of the hierarchy', async () => {
    const files = {
      'sec/policies/.gitlab/security-policies/policy.yml': policyFile(pep('One', 'ci/gate.yml'), pep('Two', 'ci/gate.yml')),
    };
    const { report } = await compose(files, '--pipeline-policy-limit', '1');
    expect(report?.policies.map((policy) => policy.applied)).toEqual([true, false]);
    const bad = await compose(files, '--policy-limit', '0');
    expect(bad.code).toBe(2);
  });

  it('the report names every job with its origin and the policy decisions', async () => {
    const { report } = await compose({});
    expect(report?.policies).toEqual([expect.objectContaining({ name: 'Gate', applied: true })]);
    expect(report?.jobs.find((job) => job.name === 'gate')).toMatchObject({ origin: 'policy' });
    expect(report?.jobs.find((job) => job.name === 'build')).toMatchObject({ origin: 'project' });
  });

  it('--dry-run prints the composed YAML and a diff against the project pipeline, and writes nothing', async () => {
    const root = await writeWorkspace(base);
    const run = await runInProcess(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--dry-run', '--out', join(root, 'x.yml')], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--- project-pipeline.yml');
    expect(run.stdout).toContain('+gate:');
    await expect(readFile(join(root, 'x.yml'), 'utf8')).rejects.toThrow();
  });
});

describe('opt-in mode', () => {
  it("the sidecar's own jobs (POLICY_SIDECAR_JOB) are left out of the composed pipeline, so it cannot trigger itself", async () => {
    const files = {
      'app/web/.gitlab-ci.yml': {
        build: { stage: 'build', script: ['make'] },
        'policy:compose': { stage: '.pre', script: ['policy-sidecar compose'], variables: { POLICY_SIDECAR_JOB: 'compose' } },
        'policy:pipeline': { stage: '.pre', trigger: { include: [{ artifact: 'policy-pipeline.yml', job: 'policy:compose' }] }, variables: { POLICY_SIDECAR_JOB: 'trigger' } },
      },
    };
    const { jobs, report } = await compose(files);
    expect(jobs).not.toContain('policy:compose');
    expect(jobs).not.toContain('policy:pipeline');
    expect(jobs).toEqual(expect.arrayContaining(['build', 'gate']));
    expect(report?.jobs.map((job) => job.name)).not.toContain('policy:compose');
  });
});

describe('experiments', () => {
  it('a policy file can relax the strict pre stage: ensure_pipeline_policy_pre_succeeds disabled → no marker check', async () => {
    const strict = await compose({});
    expect(strict.stdout).toContain('.policy-sidecar/pre-passed');
    const relaxed = await compose({
      'sec/policies/.gitlab/security-policies/policy.yml': {
        ...policyFile(pep('Gate', 'ci/gate.yml')),
        experiments: { ensure_pipeline_policy_pre_succeeds: { enabled: false } },
      },
    });
    expect(relaxed.code, relaxed.stderr).toBe(0);
    expect(relaxed.stdout).not.toContain('.policy-sidecar/pre-passed');
    expect(relaxed.jobs).toEqual(expect.arrayContaining(['build', 'gate']));
  });

  it("relaxes only its own policy project's pre jobs: another project's strict pre job keeps the marker check", async () => {
    const files = {
      'workspace.yml': { projects: { 'app/web': { id: 5, groups: [1] }, 'sec/policies': { id: 900 }, 'team/relaxed': { id: 901 } } },
      'team/relaxed/.gitlab/security-policies/policy.yml': {
        pipeline_execution_policy: [{ ...pep('Lint', 'ci/lint.yml'), content: { include: [{ project: 'team/relaxed', file: 'ci/lint.yml' }] } }],
        experiments: { ensure_pipeline_policy_pre_succeeds: { enabled: false } },
      },
      'team/relaxed/ci/lint.yml': { 'relaxed-lint': { stage: '.pipeline-policy-pre', script: ['lint'] } },
    };
    const both = await compose(files, '--policy-project', 'team/relaxed');
    expect(both.code, both.stderr).toBe(0);
    expect(both.jobs).toEqual(expect.arrayContaining(['gate', 'relaxed-lint', 'build']));
    expect(both.stdout).toContain('.policy-sidecar/pre-passed');
  });
});
