/**
 * Scan execution policy jobs, composed by the CLI and run under gitlab-ci-local with the shell
 * executor. The analyzers are images we cannot run here, so the test's --templates folder holds
 * the shipped templates with the analyzer command (`/analyzer run`, `gtcs scan`, `/analyze`)
 * replaced by scan-stub.sh, which prints the variables the job sees and writes a minimal report
 * where the analyzer would. Everything else (rules, variables, artifacts) is the shipped template.
 * Project CI/CD variables are stood in for by `--var` when composing and `--variable` when running.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTemplateNames } from '../../src/compose/sep/index.js';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';
import { runPipeline } from './run-pipeline.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

const REPORTS: Readonly<Record<string, string>> = {
  secret_detection: 'gl-secret-detection-report.json',
  sast: 'gl-sast-report.json',
  sast_iac: 'gl-sast-report.json',
  dependency_scanning: 'gl-dependency-scanning-report.json',
  container_scanning: 'gl-container-scanning-report.json',
  dast: 'gl-dast-report.json',
};

const STUB = [
  '#!/bin/sh',
  '# Stands for a GitLab analyzer: prints what it sees, writes a minimal report where the analyzer would.',
  'echo "stub $1 HISTORIC=${SECRET_DETECTION_HISTORIC_SCAN-unset} EXCLUDED=${SAST_EXCLUDED_PATHS-unset} CS_IMAGE=${CS_IMAGE-unset} TARGET=${DAST_TARGET_URL-unset}"',
  'printf \'{"version":"15.1.0","scan":{"type":"%s","status":"success"},"vulnerabilities":[]}\\n\' "$1" > "$2"',
  '',
].join('\n');

/** The shipped templates, each analyzer command replaced by the stub. */
async function writeStubTemplates(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of scanTemplateNames()) {
    const scan = name.replace(/(\.latest)?\.yml$/, '');
    const stub = `sh scan-stub.sh ${scan} ${REPORTS[scan] ?? 'gl-report.json'}`;
    const text = await readFile(join(repoRoot, 'templates', 'scans', name), 'utf8');
    await writeFile(join(dir, name), text.replace(/- (\/analyzer run|gtcs scan|\/analyze)$/gm, `- ${stub}`));
  }
}

const SETTINGS = { SECRET_DETECTION_DISABLED: 'true', SECRET_DETECTION_HISTORIC_SCAN: 'true', SAST_EXCLUDED_PATHS: 'everything', CS_IMAGE: 'evil:latest' };

const PROJECT_FILES: Readonly<Record<string, string>> = {
  'app.py': 'print("hello")\n',
  'package-lock.json': '{"lockfileVersion": 3}\n',
  'scan-stub.sh': STUB,
};

async function composeScanPipeline(): Promise<string> {
  const actions = [
    { scan: 'secret_detection' },
    { scan: 'sast' },
    { scan: 'sast_iac' },
    { scan: 'dependency_scanning' },
    { scan: 'container_scanning', variables: { CS_IMAGE: 'alpine:3.20' } },
    { scan: 'dast', site_profile: 'Staging', variables: { DAST_TARGET_URL: 'https://staging.example.com' } },
  ];
  const root = await writeWorkspace({
    'workspace.yml': { projects: { 'acme/web': { id: 5, groups: [1] }, 'sec/policies': { id: 900 } } },
    'acme/web/.gitlab-ci.yml': {
      build: { stage: 'build', script: ['echo built'] },
      // A job after every stage, dast included, reads the reports the scan jobs left (artifacts:paths).
      collect: { stage: '.post', script: ['for f in gl-*-report.json; do echo "report $f $(cat "$f")"; done'] },
    },
    ...Object.fromEntries(Object.entries(PROJECT_FILES).map(([path, text]) => [`acme/web/${path}`, text])),
    'sec/policies/.gitlab/security-policies/policy.yml': {
      scan_execution_policy: [{ name: 'All scans', enabled: true, rules: [{ type: 'pipeline', branches: ['main'] }], actions }],
    },
  });
  await writeStubTemplates(join(root, 'scan-templates'));
  const flags = Object.entries(SETTINGS).flatMap(([name, value]) => ['--var', `${name}=${value}`]);
  const run = await runInProcess(
    ['compose', '--workspace', root, '--project', 'acme/web', '--policy-project', 'sec/policies', '--branch', 'main', '--templates', join(root, 'scan-templates'), ...flags],
    root,
  );
  if (run.code !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe('scan jobs under gitlab-ci-local', () => {
  it('parse, run and leave their reports, with the policy\'s variables winning over project settings', async () => {
    const yaml = await composeScanPipeline();
    const run = await runPipeline(yaml, { variables: SETTINGS, files: PROJECT_FILES });
    const scans = ['secret-detection-0', 'semgrep-sast-1', 'kics-iac-sast-2', 'gemnasium-dependency-scanning-3', 'container-scanning-4', 'dast-on-demand-0'];
    for (const name of [...scans, 'build', 'collect']) expect(run.jobs.get(name)?.status, `${name}\n${run.log}`).toBe('success');

    const said = (job: string) => run.jobs.get(job)?.output.find((line) => line.startsWith('stub ')) ?? '';
    // Behaviour 62: SECRET_DETECTION_DISABLED=true in the settings, and the scan ran anyway.
    // §5.4: the scan defaults and the action's variables beat the settings variables.
    expect(said('secret-detection-0')).toContain('HISTORIC=false');
    expect(said('semgrep-sast-1')).toContain('EXCLUDED=spec, test, tests, tmp');
    expect(said('container-scanning-4')).toContain('CS_IMAGE=alpine:3.20');
    expect(said('dast-on-demand-0')).toContain('TARGET=https://staging.example.com');

    const collected = run.jobs.get('collect')?.output.join('\n') ?? '';
    for (const file of new Set(Object.values(REPORTS))) expect(collected, file).toMatch(new RegExp(`report ${file} \\{"version":"15.1.0"`));
  }, 120_000);
});
