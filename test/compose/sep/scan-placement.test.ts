/**
 * Where scan jobs land and when (gitlab-pep-sep.md §5.1, §5.3, behaviours 52, 53, 58, 66, 67):
 * stages, project configurations without CI or with workflow rules, pipeline execution policies
 * around them, pipelines that get none, [skip ci], and the templates themselves.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeScans, policies, POLICY_FILE, scanPolicy } from './scan-workspace.js';

const secrets = scanPolicy('Secrets', [{ scan: 'secret_detection' }]);
const dast = { scan: 'dast', site_profile: 'Site', variables: { DAST_TARGET_URL: 'https://staging.example.com' } };
const pep = (name: string, strategy: string, file: string) => ({
  name,
  enabled: true,
  pipeline_config_strategy: strategy,
  content: { include: [{ project: 'sec/policies', file }] },
});

describe('placing scan jobs', () => {
  it('58: dast is inserted before .post (the last normal stage) when the project lacks it', async () => {
    const project = { build: { stage: 'build', script: ['make'] }, ship: { stage: 'deploy', script: ['ship'] }, tidy: { stage: '.post', script: ['tidy'] } };
    const { stages, jobs } = await composeScans({ [POLICY_FILE]: policies([scanPolicy('Dast', [dast])]), 'app/web/.gitlab-ci.yml': project });
    expect(jobs['dast-on-demand-0']?.stage).toBe('dast');
    // The emitted stages are those with jobs; .post is implicit and always last.
    expect(stages).toEqual(['build', 'deploy', 'dast']);
    expect(jobs['tidy']?.stage).toBe('.post');
  });

  it('without a test stage, scan jobs go to scan-policies, inserted right after build', async () => {
    const project = {
      stages: ['build', 'not-test', 'release'],
      build: { stage: 'build', script: ['make'] },
      check: { stage: 'not-test', script: ['check'] },
      release: { stage: 'release', script: ['release'] },
    };
    const { stages, jobs, report } = await composeScans({ [POLICY_FILE]: policies([secrets]), 'app/web/.gitlab-ci.yml': project });
    expect(stages.filter((stage) => !stage.startsWith('policy-sidecar:'))).toEqual(['build', 'scan-policies', 'not-test', 'release']);
    expect(jobs['secret-detection-0']?.stage).toBe('scan-policies');
    expect(report?.jobs.find((job) => job.name === 'secret-detection-0')?.stage).toBe('scan-policies');
  });

  it('without build or test, scan-policies comes first', async () => {
    const project = { stages: ['lint', 'release'], lint: { stage: 'lint', script: ['x'] }, release: { stage: 'release', script: ['y'] } };
    const { stages } = await composeScans({ [POLICY_FILE]: policies([secrets]), 'app/web/.gitlab-ci.yml': project });
    expect(stages.filter((stage) => !stage.startsWith('policy-sidecar:'))).toEqual(['scan-policies', 'lint', 'release']);
  });

  it('66: a project without CI configuration gets the scan jobs (workflow: rules: [{when: always}])', async () => {
    const { code, stderr, names, report } = await composeScans({ [POLICY_FILE]: policies([secrets]), 'app/web/.gitlab-ci.yml': undefined });
    expect(code, stderr).toBe(0);
    expect(names).toEqual(['secret-detection-0']);
    expect(report?.created).toBe(true);
    expect(report?.reason).toMatch(/workflow: rules: \[\{when: always\}\]/);
  });

  it('67: invalid project stages: the project configuration error stops the pipeline; no scan job is added', async () => {
    const { code, stderr } = await composeScans({ [POLICY_FILE]: policies([secrets]), 'app/web/.gitlab-ci.yml': { stages: 'build', build: { script: ['x'] } } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/stages config should be an array of strings/);
  });

  it("project workflow:rules that create no pipeline also keep the scan jobs out (GitLab merges them into the project's config)", async () => {
    const project = { workflow: { rules: [{ if: '$CI_PIPELINE_SOURCE == "web"' }] }, build: { script: ['make'] } };
    const { report } = await composeScans({ [POLICY_FILE]: policies([secrets]), 'app/web/.gitlab-ci.yml': project });
    expect(report?.created).toBe(false);
    expect(report?.scanActions[0]).toMatchObject({ applied: false, jobs: [] });
    expect(report?.scanActions[0]?.reason).toMatch(/workflow:rules create no pipeline/);
  });

  it('scan jobs are project jobs to pipeline execution policies: a policy job of the same name gets the suffix', async () => {
    const files = {
      [POLICY_FILE]: policies([secrets], [pep('Gate', 'inject_policy', 'ci/gate.yml')]),
      'sec/policies/ci/gate.yml': { 'secret-detection-0': { stage: 'test', script: ['echo policy'] } },
    };
    const { names, report } = await composeScans(files);
    expect(names).toEqual(expect.arrayContaining(['secret-detection-0', 'secret-detection-0:policy-900-0']));
    expect(report?.jobs.find((job) => job.name === 'secret-detection-0')?.origin).toBe('scan-policy');
  });

  it('with override_project_ci both apply: the scan jobs are added to the policy pipeline', async () => {
    const files = {
      [POLICY_FILE]: policies([secrets], [pep('Override', 'override_project_ci', 'ci/override.yml')]),
      'sec/policies/ci/override.yml': { stages: ['build', 'verify'], compile: { stage: 'build', script: ['make'] }, verify: { stage: 'verify', script: ['echo verify'] } },
    };
    const { names, stages, jobs, report } = await composeScans(files);
    expect(names).toEqual(expect.arrayContaining(['compile', 'verify', 'secret-detection-0']));
    expect(names).not.toContain('build');
    expect(jobs['secret-detection-0']?.stage).toBe('scan-policies');
    expect(stages.filter((stage) => !stage.startsWith('policy-sidecar:'))).toEqual(['build', 'scan-policies', 'verify']);
    expect(report?.scanActions[0]?.applied).toBe(true);
  });

  it.each([
    ['52: a tag pipeline', ['--tag', 'v1.0'], /tag pipelines/],
    ['53: a child pipeline', ['--source', 'parent_pipeline'], /child pipelines/],
  ])('%s gets no scan jobs', async (_, flags, reason) => {
    const { names, report } = await composeScans({ [POLICY_FILE]: policies([scanPolicy('All', [{ scan: 'secret_detection' }], { rules: [{ type: 'pipeline', branch_type: 'all' }] })]) }, ...flags);
    expect(names.some((name) => name.startsWith('secret-detection'))).toBe(false);
    expect(report?.policies.find((policy) => policy.name === 'All')?.reason).toMatch(reason);
  });

  it('[skip ci] is ignored while an applicable scan execution policy does not allow it', async () => {
    const refusing = await composeScans({ [POLICY_FILE]: policies([secrets]) }, '--var', 'CI_COMMIT_MESSAGE=wip [skip ci]');
    expect(refusing.names).toContain('secret-detection-0');
    const allowing = await composeScans(
      { [POLICY_FILE]: policies([scanPolicy('Secrets', [{ scan: 'secret_detection' }], { skip_ci: { allowed: true } })]) },
      '--var',
      'CI_COMMIT_MESSAGE=wip [skip ci]',
    );
    expect(allowing.report?.created).toBe(false);
  });

  it('explain lists each action, the rule that made its policy apply, and its jobs', async () => {
    const { root } = await composeScans({ [POLICY_FILE]: policies([secrets]) });
    const { runInProcess } = await import('../../helpers/temp-workspace.js');
    const run = await runInProcess(['explain', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies'], root);
    expect(run.stdout).toMatch(/applied +"Secrets" action 0 \(secret_detection\) → secret-detection-0: job index 0; rule 0 selects branch main/);
    expect(run.stdout).toMatch(/secret-detection-0 .*\(scan execution policy "Secrets" from sec\/policies, template job secret_detection\)/);
  });
});

describe('scan templates', () => {
  it('--templates replaces a template by file name', async () => {
    const { root } = await composeScans({});
    await mkdir(join(root, 'scans'), { recursive: true });
    await writeFile(join(root, 'scans', 'secret_detection.yml'), stringify({ secret_detection: { image: 'mirror/secrets:1', script: ['scan-it'] } }));
    const { jobs, report } = await composeScans({ [POLICY_FILE]: policies([secrets]) }, '--templates', join(root, 'scans'));
    expect(jobs['secret-detection-0']).toMatchObject({ image: 'mirror/secrets:1', stage: 'test' });
    expect(jobs['secret-detection-0']?.script?.at(-1)).toBe('scan-it');
    expect(report?.scanActions[0]?.template).toBe('secret_detection.yml');
  });

  it('an invalid template is a policy error naming its file, line and column', async () => {
    const { root } = await composeScans({});
    await mkdir(join(root, 'scans'), { recursive: true });
    await writeFile(join(root, 'scans', 'secret_detection.yml'), 'secret_detection:\n  stage: test\n  script: []\n');
    const run = await composeScans({ [POLICY_FILE]: policies([secrets]) }, '--templates', join(root, 'scans'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/scans\/secret_detection\.yml:3:\d+: scan template .*secret_detection\.yml: jobs:secret_detection script can't be blank/);
  });

  it('a file in the --templates folder that is no template name is refused, not ignored', async () => {
    const { root } = await composeScans({});
    await mkdir(join(root, 'scans'), { recursive: true });
    await writeFile(join(root, 'scans', 'secret-detection.yml'), 'x: 1\n');
    const run = await composeScans({ [POLICY_FILE]: policies([secrets]) }, '--templates', join(root, 'scans'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/secret-detection\.yml is not a scan template name/);
  });
});
