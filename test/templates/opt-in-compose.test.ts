/**
 * Opt-in mode cannot compose itself: composing a project configuration that includes the opt-in
 * component (directly, or through the project's jobs file) leaves the component's jobs
 * (marked POLICY_SIDECAR_JOB) out of the composed child pipeline, and the report says so.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';
import { COMPONENT_PROJECT, includingConfig, repoRoot } from './template-fixtures.js';

const workspaces: string[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function optInWorkspace(projectJobsFile: string): Promise<string> {
  const template = await readFile(join(repoRoot, 'templates', 'policy-sidecar-opt-in.yml'), 'utf8');
  const dir = await writeWorkspace({
    'workspace.yml': { server_host: 'gitlab.example.com', projects: { 'acme/web': { id: 101, default_branch: 'main' } } },
    [`${COMPONENT_PROJECT}/templates/policy-sidecar-opt-in.yml`]: template,
    'acme/web/.gitlab-ci.yml': includingConfig('policy-sidecar-opt-in'),
    'acme/web/.gitlab/project-ci.yml': projectJobsFile,
  });
  workspaces.push(dir);
  return dir;
}

const projectJobs = 'build:\n  stage: build\n  script: [make]\ntest:\n  stage: test\n  script: [make test]\n';

describe('opt-in component, composed', () => {
  it.each([
    { name: 'the jobs file holds only the project jobs', file: projectJobs },
    { name: 'the jobs file includes the opt-in component again', file: `${includingConfig('policy-sidecar-opt-in')}${projectJobs}` },
  ])('leaves policy:* out of the child pipeline: $name', async ({ file }) => {
    const dir = await optInWorkspace(file);
    const run = await runInProcess(
      ['compose', '--workspace', dir, '--project', 'acme/web', '--config-path', '.gitlab/project-ci.yml', '--report', 'report.json', '--allow-no-policies'],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    const composed = parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(composed)).toEqual(expect.arrayContaining(['build', 'test']));
    expect(Object.keys(composed).filter((name) => name.startsWith('policy:'))).toEqual([]);
  });

  it('reports the jobs it left out when the composed file includes the component', async () => {
    const dir = await optInWorkspace(projectJobs);
    const run = await runInProcess(['compose', '--workspace', dir, '--project', 'acme/web', '--report', 'report.json', '--out', 'pipeline.yml', '--allow-no-policies'], dir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { excludedJobs: { name: string; reason: string }[] };
    // policy:evaluate is off by default: its own rule leaves it out first.
    expect(report.excludedJobs.map((job) => job.name)).toEqual(['policy:evaluate', 'policy:compose', 'policy:pre', 'policy:pipeline']);
    expect(report.excludedJobs[0]?.reason).toContain('when: never');
    for (const job of report.excludedJobs.slice(1)) expect(job.reason).toContain('POLICY_SIDECAR_JOB');
  });

  it('leaves policy:evaluate out too when it is enabled, in a merge request pipeline', async () => {
    const dir = await optInWorkspace(`${includingConfig('policy-sidecar-opt-in', { evaluate: true })}${projectJobs}`);
    const args = ['compose', '--workspace', dir, '--project', 'acme/web', '--config-path', '.gitlab/project-ci.yml', '--report', 'report.json', '--out', 'pipeline.yml', '--allow-no-policies'];
    const run = await runInProcess([...args, '--source', 'merge_request_event', '--branch', 'feature/a', '--mr-target', 'main', '--mr-iid', '1'], dir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { excludedJobs: { name: string; reason: string }[] };
    expect(report.excludedJobs.map((job) => job.name).sort()).toEqual(['policy:compose', 'policy:evaluate', 'policy:pipeline', 'policy:pre']);
    for (const job of report.excludedJobs) expect(job.reason).toContain('POLICY_SIDECAR_JOB');
    const composed = parse(await readFile(join(dir, 'pipeline.yml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(composed).filter((name) => name.startsWith('policy:'))).toEqual([]);
  });
});
