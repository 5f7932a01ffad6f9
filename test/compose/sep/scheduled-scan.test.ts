/**
 * Pipelines of the pipeline schedules `policy-sidecar schedule` creates (docs/schedules.md): with
 * POLICY_SIDECAR_SCHEDULED_SCAN on a `schedule` pipeline, compose emits only that policy's scan
 * jobs (gitlab-pep-sep.md §4.1), no project jobs and no pipeline execution policy jobs (§3.9).
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/temp-workspace.js';
import { composeScans, policies, POLICY_FILE, scanPolicy, type ScanReport } from './scan-workspace.js';

const onPush = scanPolicy('On push', [{ scan: 'sast' }]);
const nightly = scanPolicy('Nightly', [{ scan: 'secret_detection', variables: { SECRET_DETECTION_HISTORIC_SCAN: 'true' } }], {
  rules: [
    { type: 'pipeline', branches: ['release/*'] },
    { type: 'schedule', cadence: '0 2 * * *', branches: ['main'] },
  ],
});
const gate = { name: 'Gate', enabled: true, pipeline_config_strategy: 'inject_policy', content: { include: [{ project: 'sec/policies', file: 'ci/gate.yml' }] } };

const files = {
  [POLICY_FILE]: policies([onPush, nightly], [gate]),
  'sec/policies/ci/gate.yml': { gate: { stage: '.pipeline-policy-pre', script: ['echo gate'] } },
};

const scheduled = (id: string, ...flags: string[]) => composeScans(files, '--source', 'schedule', '--var', `POLICY_SIDECAR_SCHEDULED_SCAN=${id}`, ...flags);
const ownJobs = (names: readonly string[]) => names.filter((name) => !name.startsWith('policy-sidecar:'));

describe('scheduled scans', () => {
  it("emit only the scheduled policy's scan jobs: no project jobs, no pipeline execution policy jobs", async () => {
    const { code, stderr, names, report } = await scheduled('sec/policies:1:1');
    expect(code, stderr).toBe(0);
    expect(ownJobs(names)).toEqual(['secret-detection-0']);
    expect(report?.created).toBe(true);
    expect(report?.reason).toMatch(/^scheduled scan of "Nightly" rule 1 \(POLICY_SIDECAR_SCHEDULED_SCAN=sec\/policies:1:1\): only its scan jobs run/);
    expect(report?.jobs.map((job) => job.origin)).not.toContain('project');
    expect(report?.jobs.map((job) => job.origin)).not.toContain('policy');
    const byName = new Map(report?.policies.map((policy) => [policy.name, policy]));
    expect(byName.get('Nightly')).toMatchObject({ applied: true, reason: 'scheduled scan: rule 1 (cadence 0 2 * * *) on branch main' });
    expect(byName.get('On push')).toMatchObject({ applied: false, reason: 'not the scheduled scan sec/policies:1:1' });
    expect(byName.get('Gate')?.applied).toBe(false);
    expect(byName.get('Gate')?.reason).toMatch(/gets no pipeline execution policies/);
    expect(report?.scanActions).toEqual([expect.objectContaining({ policy: 'Nightly', applied: true, jobs: ['secret-detection-0'] })]);
  });

  it("enforces the action's variables as in any pipeline: a schedule variable cannot override them", async () => {
    const { jobs, stdout } = await scheduled('sec/policies:1:1', '--var', 'SECRET_DETECTION_HISTORIC_SCAN=false');
    const job = jobs['secret-detection-0'];
    expect(job?.['variables']).toMatchObject({ SECRET_DETECTION_HISTORIC_SCAN: 'true' });
    expect(job?.script).toContain("export SECRET_DETECTION_HISTORIC_SCAN='true'");
    expect(stdout).not.toContain('SECRET_DETECTION_HISTORIC_SCAN: false');
  });

  it('explain says which scheduled scan the pipeline runs', async () => {
    const { root } = await scheduled('sec/policies:1:1');
    const argv = ['explain', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--source', 'schedule'];
    const run = await runInProcess([...argv, '--var', 'POLICY_SIDECAR_SCHEDULED_SCAN=sec/policies:1:1'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Created: scheduled scan of "Nightly" rule 1/m);
    expect(run.stdout).toMatch(/applied +"Nightly" action 0 \(secret_detection\) → secret-detection-0: job index 0; scheduled scan: rule 1/);
  });

  it('are not skipped by [skip ci], and do not read the project configuration (an invalid one does not block them)', async () => {
    const broken = { ...files, 'app/web/.gitlab-ci.yml': { stages: 'build', build: { script: ['x'] } } };
    const run = await composeScans(broken, '--source', 'schedule', '--var', 'POLICY_SIDECAR_SCHEDULED_SCAN=sec/policies:1:1', '--var', 'CI_COMMIT_MESSAGE=wip [skip ci]');
    expect(run.code, run.stderr).toBe(0);
    expect(ownJobs(run.names)).toEqual(['secret-detection-0']);
  });

  it.each([
    ['a malformed id', 'nightly', [], /POLICY_SIDECAR_SCHEDULED_SCAN=nightly is not <policy project>:<policy index>:<rule index>/],
    ['an unknown policy', 'sec/policies:7:0', [], /scheduled scan sec\/policies:7:0: no applicable scan execution policy at sec\/policies index 7/],
    ['an unknown policy project', 'other/policies:1:1', [], /scheduled scan other\/policies:1:1: no applicable scan execution policy/],
    ['a rule that is no schedule rule', 'sec/policies:1:0', [], /scheduled scan sec\/policies:1:0: rule 0 of "Nightly" is not a schedule rule/],
    ['a rule that no longer exists', 'sec/policies:1:5', [], /scheduled scan sec\/policies:1:5: rule 5 of "Nightly" is not a schedule rule/],
    ['a branch the rule does not select', 'sec/policies:1:1', ['--branch', 'dev'], /scheduled scan sec\/policies:1:1: rule 1 of "Nightly" does not select branch dev/],
    ['a tag', 'sec/policies:1:1', ['--tag', 'v1'], /scheduled scan sec\/policies:1:1: the pipeline runs on tag v1/],
  ])('fail closed on %s (exit 2, the id named)', async (_, id, flags, message) => {
    const run = await scheduled(id, ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/policy-sidecar schedule --apply/);
    expect(run.stdout).toBe('');
  });

  it('with --fail-open a wrong id runs nothing at all: no scans and still no project jobs', async () => {
    const run = await scheduled('sec/policies:7:0', '--fail-open');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARNING: composing WITHOUT policies \(--fail-open\): .*sec\/policies:7:0/);
    expect(run.names).not.toContain('build');
    expect(run.names.some((name) => name.startsWith('secret-detection'))).toBe(false);
    expect(run.report?.created).toBe(false);
    expect(run.report?.reason).toMatch(/scheduled scan sec\/policies:7:0 composed without policies \(--fail-open\)/);
    const report = run.report as (ScanReport & { policyFailure: { code: string } | null }) | undefined;
    expect(report?.policyFailure?.code).toBe('scheduled-scan-unknown');
  });
});

describe('without a scheduled scan', () => {
  it('a schedule rule adds nothing to a normal pipeline', async () => {
    const { code, stderr, names, report } = await composeScans(files);
    expect(code, stderr).toBe(0);
    expect(names).toContain('build');
    expect(names).toContain('gate');
    expect(names.some((name) => name.startsWith('secret-detection'))).toBe(false);
    expect(report?.policies.find((policy) => policy.name === 'Nightly')).toMatchObject({ applied: false });
    expect(report?.scanActions.map((action) => action.policy)).toEqual(['On push']);
  });

  it("a schedule pipeline of the project's own (no variable) is a normal pipeline", async () => {
    const { names } = await composeScans(files, '--source', 'schedule');
    expect(names).toEqual(expect.arrayContaining(['build', 'gate']));
    expect(names.some((name) => name.startsWith('secret-detection'))).toBe(false);
  });

  it.each([['push'], ['web'], ['api']])('the variable on a %s pipeline is ignored, and the report says so', async (source) => {
    const { code, names, report } = await composeScans(files, '--source', source, '--var', 'POLICY_SIDECAR_SCHEDULED_SCAN=sec/policies:1:1');
    expect(code).toBe(0);
    expect(names).toEqual(expect.arrayContaining(['build', 'gate']));
    expect(names.some((name) => name.startsWith('secret-detection'))).toBe(false);
    expect(report?.reason).toMatch(new RegExp(`POLICY_SIDECAR_SCHEDULED_SCAN ignored: only pipelines of source schedule run scheduled scans, this one is ${source}$`));
  });
});
