/**
 * Scan execution policy jobs (gitlab-pep-sep.md §5.2, behaviours 54–70 of §7): names, variables,
 * tags, scan settings, templates and error jobs, composed through the CLI.
 */
import { describe, expect, it } from 'vitest';
import { composeScans, policies, POLICY_FILE, scanPolicy } from './scan-workspace.js';

const withScans = (actions: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  [POLICY_FILE]: policies([scanPolicy('Scans', actions, extra)]),
});

describe('scan execution policy jobs', () => {
  it('45: a push to a matching branch gets secret-detection-0 in stage test, as a scan-policy job', async () => {
    const { code, stderr, jobs, report } = await composeScans(withScans([{ scan: 'secret_detection' }]));
    expect(code, stderr).toBe(0);
    expect(jobs['secret-detection-0']?.stage).toBe('test');
    expect(report?.jobs.find((job) => job.name === 'secret-detection-0')).toMatchObject({ origin: 'scan-policy', policy: 'Scans', originalName: 'secret_detection' });
    expect(report?.scanActions).toEqual([expect.objectContaining({ scan: 'secret_detection', applied: true, template: 'secret_detection.yml', jobs: ['secret-detection-0'] })]);
    expect(report?.scanActions[0]?.reason).toMatch(/rule 0 selects branch main/);
  });

  it('54: actions [secret_detection, sast, container_scanning] are numbered 0, 1, 2 (non-DAST count)', async () => {
    const { names, report } = await composeScans(withScans([{ scan: 'secret_detection' }, { scan: 'sast' }, { scan: 'container_scanning' }]));
    expect(names).toEqual(expect.arrayContaining(['secret-detection-0', 'semgrep-sast-1', 'container-scanning-2']));
    // The other SAST analyzers are named the same way; their rules (files) leave them out.
    expect(report?.scanActions[1]?.excludedJobs).toEqual(['kubesec-sast-1', 'pmd-apex-sast-1', 'sobelow-sast-1', 'spotbugs-sast-1']);
  });

  it('55: DAST actions have their own index: dast-on-demand-0, secret-detection-0, dast-on-demand-1', async () => {
    const dast = (site: string) => ({ scan: 'dast', site_profile: site, variables: { DAST_TARGET_URL: `https://${site}.example.com` } });
    const { names, jobs } = await composeScans(withScans([dast('a'), { scan: 'secret_detection' }, dast('b')]));
    expect(names.filter((name) => /^(dast|secret)/.test(name))).toEqual(['dast-on-demand-0', 'secret-detection-0', 'dast-on-demand-1']);
    expect(jobs['dast-on-demand-1']?.stage).toBe('dast');
    expect(jobs['dast-on-demand-1']?.script).toContain("export DAST_TARGET_URL='https://b.example.com'");
  });

  it('59: a project job literally named secret-detection-0 is replaced completely', async () => {
    const project = { build: { stage: 'build', script: ['make'] }, 'secret-detection-0': { script: ['echo mine'], needs: ['build'], rules: [{ if: '$CI_COMMIT_BRANCH == "develop"' }] } };
    const { jobs, report } = await composeScans({ ...withScans([{ scan: 'secret_detection' }]), 'app/web/.gitlab-ci.yml': project });
    const job = jobs['secret-detection-0'];
    expect(job?.script).toContain('/analyzer run');
    expect(job?.script).not.toContain('echo mine');
    expect(job?.['needs']).toBeUndefined();
    expect(report?.jobs.filter((entry) => entry.name === 'secret-detection-0')).toEqual([expect.objectContaining({ origin: 'scan-policy' })]);
  });

  it('60: a project job secret_detection (the template included by the project) runs beside secret-detection-0', async () => {
    const project = { build: { stage: 'build', script: ['make'] }, secret_detection: { stage: 'test', script: ['echo own scan'] } };
    const { names, report } = await composeScans({ ...withScans([{ scan: 'secret_detection' }]), 'app/web/.gitlab-ci.yml': project });
    expect(names).toEqual(expect.arrayContaining(['secret_detection', 'secret-detection-0']));
    expect(report?.jobs.find((job) => job.name === 'secret_detection')?.origin).toBe('project');
  });

  it('61: action variables win over a project settings variable: the job re-exports them first', async () => {
    const { jobs, stdout } = await composeScans(
      withScans([{ scan: 'secret_detection', variables: { SECRET_DETECTION_HISTORIC_SCAN: 'true' } }]),
      '--var',
      'SECRET_DETECTION_HISTORIC_SCAN=false',
    );
    const script = jobs['secret-detection-0']?.script ?? [];
    expect(script).toContain("export SECRET_DETECTION_HISTORIC_SCAN='true'");
    expect(script.indexOf("export SECRET_DETECTION_HISTORIC_SCAN='true'")).toBeLessThan(script.indexOf('/analyzer run'));
    expect(jobs['secret-detection-0']?.['variables']).toMatchObject({ SECRET_DETECTION_HISTORIC_SCAN: 'true' });
    expect(stdout).not.toContain('SECRET_DETECTION_HISTORIC_SCAN: false');
  });

  it('62: a project variable SECRET_DETECTION_DISABLED=true does not remove the scan job (its rule is stripped)', async () => {
    const { names, jobs } = await composeScans(withScans([{ scan: 'secret_detection' }]), '--var', 'SECRET_DETECTION_DISABLED=true');
    expect(names).toContain('secret-detection-0');
    expect(JSON.stringify(jobs['secret-detection-0'])).not.toContain('_DISABLED');
  });

  it('SAST_DISABLED and SAST_EXCLUDED_ANALYZERS from settings cannot switch SAST analyzers off', async () => {
    const { names } = await composeScans(withScans([{ scan: 'sast' }]), '--var', 'SAST_DISABLED=true', '--var', 'SAST_EXCLUDED_ANALYZERS=semgrep');
    expect(names).toContain('semgrep-sast-0');
  });

  it('_EXCLUDED_ANALYZERS rules stay when the action sets such a variable, and then apply', async () => {
    const { names, report } = await composeScans(withScans([{ scan: 'sast', variables: { SAST_EXCLUDED_ANALYZERS: 'semgrep' } }]));
    expect(names).not.toContain('semgrep-sast-0');
    expect(report?.excludedJobs.find((job) => job.name === 'semgrep-sast-0')?.reason).toMatch(/SAST_EXCLUDED_ANALYZERS =~ \/semgrep\//);
  });

  it('63: tags of the action replace the tags of every job of that action', async () => {
    const { jobs } = await composeScans(withScans([{ scan: 'sast', tags: ['docker-small'] }, { scan: 'secret_detection' }]));
    expect(jobs['semgrep-sast-0']?.['tags']).toEqual(['docker-small']);
    expect(jobs['secret-detection-1']?.['tags']).toBeUndefined();
  });

  it("64: ignore_default_before_after_script: the project's default before_script does not reach the scan job", async () => {
    const project = { default: { before_script: ['echo hi'] }, build: { stage: 'build', script: ['make'] } };
    const settings = { scan: 'secret_detection', scan_settings: { ignore_default_before_after_script: true } };
    const { jobs } = await composeScans({ ...withScans([settings]), 'app/web/.gitlab-ci.yml': project });
    const job = jobs['secret-detection-0'];
    // before_script: [] plus the sidecar's own lines (the enforced variables), nothing of the project's.
    expect(job?.before_script?.every((line) => line.startsWith('export ') || line.startsWith('if [ '))).toBe(true);
    expect(job?.['after_script']).toEqual(expect.not.arrayContaining(['echo hi']));
    expect(jobs['build']?.before_script).toEqual(['echo hi']);
  });

  it('scan jobs never inherit the project default: or global variables (the sidecar isolates policy jobs; GitLab merges textually)', async () => {
    const project = { default: { before_script: ['echo hi'] }, variables: { FOO: 'project' }, build: { stage: 'build', script: ['make'] } };
    const { jobs } = await composeScans({ ...withScans([{ scan: 'secret_detection' }]), 'app/web/.gitlab-ci.yml': project });
    expect(JSON.stringify(jobs['secret-detection-0'])).not.toMatch(/echo hi|FOO/);
  });

  // GitLab's default template runs in merge request pipelines only with AST_ENABLE_MR_PIPELINES
  // "true", which the sidecar enforces by default (scan-defaults.ts); the action can turn it off.
  it.each([
    ['default', 'secret_detection.yml', {}, true],
    ['latest', 'secret_detection.latest.yml', {}, true],
    ['default', 'secret_detection.yml', { AST_ENABLE_MR_PIPELINES: 'false' }, false],
    ['latest', 'secret_detection.latest.yml', { AST_ENABLE_MR_PIPELINES: 'false' }, false],
  ])('65: template: %s uses %s (action variables %j: in a merge request pipeline it runs: %s)', async (template, file, variables, runs) => {
    const { report, names } = await composeScans(withScans([{ scan: 'secret_detection', template, variables }]), '--branch', 'feature', '--mr-target', 'main');
    expect(report?.scanActions[0]?.template).toBe(file);
    expect(names.includes('secret-detection-0')).toBe(runs);
    expect(report?.scanActions[0]?.outcome).toBe(runs ? 'applied' : 'applied-no-jobs');
  });

  it('65: template: latest for sast takes the jobs from sast.latest.yml', async () => {
    const { report } = await composeScans(withScans([{ scan: 'sast', template: 'latest' }]), '--branch', 'feature', '--mr-target', 'main');
    expect(report?.scanActions[0]).toMatchObject({ template: 'sast.latest.yml', jobs: ['semgrep-sast-0'] });
  });

  it('69: a DAST action whose site profile cannot be resolved still gets dast-on-demand-0, failing with GitLab\'s message', async () => {
    const { jobs } = await composeScans(withScans([{ scan: 'dast', site_profile: 'Missing profile' }]));
    const job = jobs['dast-on-demand-0'];
    expect(job?.['allow_failure']).toBe(true);
    expect(job?.script?.at(-1)).toMatch(/^echo "Error during On-Demand Scan execution: Dast site profile Missing profile cannot be read by policy-sidecar: .*" && false$/);
  });

  it('69: a DAST action with site_profile null fails with "Dast site profile was not provided"', async () => {
    const { jobs } = await composeScans(withScans([{ scan: 'dast', site_profile: null }]));
    expect(jobs['dast-on-demand-0']?.script?.at(-1)).toBe('echo "Error during On-Demand Scan execution: Dast site profile was not provided" && false');
  });

  it('70: of 12 actions only the first 10 make jobs', async () => {
    const actions = Array.from({ length: 12 }, (_, n) => ({ scan: 'secret_detection', variables: { RUN: String(n) } }));
    const { names, report } = await composeScans(withScans(actions));
    expect(names.filter((name) => name.startsWith('secret-detection-'))).toHaveLength(10);
    expect(report?.scanActions.filter((action) => !action.applied).map((action) => action.action)).toEqual([10, 11]);
  });

  it('the same inputs give byte-identical YAML', async () => {
    const files = withScans([{ scan: 'secret_detection' }, { scan: 'sast' }, { scan: 'dependency_scanning' }]);
    const [first, second] = await Promise.all([composeScans(files), composeScans(files)]);
    expect(first.stdout).toBe(second.stdout);
  });
});
