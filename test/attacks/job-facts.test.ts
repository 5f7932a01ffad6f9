/**
 * Attacks on where a CI job's facts come from (issue #10 item 2). The attacker is a Developer or
 * Maintainer of acme/web: they set project or pipeline variables, which GitLab ranks above the
 * predefined CI_* ones, and control the checkout. compose --job (what policy:compose runs) takes
 * project, pipeline, source, ref and SHA from GitLab's `GET /job`; each case says what the
 * attacker tries and what must happen: fail closed with a message naming both values, or the
 * policies still apply. The real CLI process, against a GitLab stand-in on 127.0.0.1.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob, jobVariables, PIPELINE_SHA, writeCheckout, writeJobEnvFile } from '../helpers/ci-job.js';
import type { ServedHandlers } from '../http/serve-handlers.js';
import { cli, composeAsJob, examples, messageOf, startGitlab, TOKEN } from './job-harness.js';

const servers: ServedHandlers[] = [];
let checkout: string;

async function gitlab(job = composeJob()): Promise<ServedHandlers> {
  const served = await startGitlab(job);
  servers.push(served);
  return served;
}

interface Report {
  readonly pipelineSource: string;
  readonly ref: string;
  readonly policies: readonly { readonly name: string; readonly applied: boolean; readonly reason: string }[];
  readonly jobs: readonly { readonly name: string; readonly origin: string }[];
}

async function reportIn(dir: string): Promise<Report> {
  return JSON.parse(await readFile(join(dir, 'policy-report.json'), 'utf8')) as Report;
}

beforeAll(async () => {
  checkout = await writeCheckout(join(examples, 'acme/web'));
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

describe('a job variable overriding a pipeline fact fails closed, naming both values', () => {
  it.each<{ name: string; attack: Record<string, string>; message: string }>([
    { name: 'CI_PIPELINE_SOURCE=parent_pipeline (would drop every policy and scan)', attack: { CI_PIPELINE_SOURCE: 'parent_pipeline' }, message: 'CI_PIPELINE_SOURCE is "parent_pipeline" in the job\'s variables, but GitLab says push' },
    { name: 'CI_PROJECT_PATH=security/policies (would read policies from the attacker\'s checkout)', attack: { CI_PROJECT_PATH: 'security/policies' }, message: 'CI_PROJECT_PATH is "security/policies" in the job\'s variables, but GitLab says acme/web' },
    { name: 'CI_COMMIT_BRANCH=other (would drop branch-scoped policies)', attack: { CI_COMMIT_BRANCH: 'other' }, message: 'CI_COMMIT_BRANCH is "other" in the job\'s variables, but GitLab says main' },
    { name: 'CI_COMMIT_SHA of another commit', attack: { CI_COMMIT_SHA: 'f'.repeat(40) }, message: `CI_COMMIT_SHA is "${'f'.repeat(40)}" in the job's variables, but GitLab says ${PIPELINE_SHA}` },
    { name: 'CI_COMMIT_TAG on a branch pipeline', attack: { CI_COMMIT_TAG: 'v1.0.0' }, message: 'CI_COMMIT_TAG is "v1.0.0" in the job\'s variables, but GitLab sets no CI_COMMIT_TAG for this pipeline (pipeline 300, push on branch main)' },
    { name: 'CI_PIPELINE_SOURCE=schedule with POLICY_SIDECAR_SCHEDULED_SCAN (would run only scans)', attack: { CI_PIPELINE_SOURCE: 'schedule', POLICY_SIDECAR_SCHEDULED_SCAN: 'security/policies:0:0' }, message: 'CI_PIPELINE_SOURCE is "schedule" in the job\'s variables, but GitLab says push' },
  ])('$name', async ({ attack, message }) => {
    await rm(join(checkout, 'policy-report.json'), { force: true });
    const run = await composeAsJob(await gitlab(), checkout, attack);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain(message);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(TOKEN);
  });
});

describe('settings a variable cannot steer', () => {
  it('CI_SERVER_URL=another host: the token never reaches it, the policies come from --gitlab-url', async () => {
    const real = await gitlab();
    const other = await gitlab();
    const run = await composeAsJob(real, checkout, { CI_SERVER_URL: other.url, CI_SERVER_HOST: '127.0.0.1', CI_SERVER_FQDN: 'evil.example.com' });
    expect(run.code, run.stderr).toBe(0);
    expect(other.requests).toEqual([]);
    expect(run.stdout).toContain('lint:policy-900-1:');
    const report = await reportIn(checkout);
    expect(report.policies.filter((policy) => policy.applied).map((policy) => policy.name)).toContain('Secret detection on every branch');
  });

  it('POLICY_SIDECAR_POLICY_PROJECTS=acme/ci-templates: ignored, the input\'s policy projects apply', async () => {
    const run = await composeAsJob(await gitlab(), checkout, { POLICY_SIDECAR_POLICY_PROJECTS: 'acme/ci-templates' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('secret-detection-0:');
    expect(run.stdout).toContain('lint:policy-900-1:');
  });

  it('POLICY_SIDECAR_SCHEDULED_SCAN on a push pipeline: ignored, project and policy jobs all run', async () => {
    const run = await composeAsJob(await gitlab(), checkout, { POLICY_SIDECAR_SCHEDULED_SCAN: 'security/policies:3:0' });
    expect(run.code, run.stderr).toBe(0);
    const report = await reportIn(checkout);
    expect(report.pipelineSource).toBe('push');
    const names = report.jobs.map((job) => job.name);
    expect(names).toEqual(expect.arrayContaining(['build', 'unit-tests', 'lint:policy-900-1', 'secret-detection-0']));
    expect(JSON.stringify(report)).toContain('POLICY_SIDECAR_SCHEDULED_SCAN ignored: only pipelines of source schedule run scheduled scans, this one is push');
  });
});

describe('the checkout must be GitLab\'s commit, of the job token\'s project', () => {
  it('CI_JOB_TOKEN of another project\'s running job (every CI_* variable made to match it): the checkout\'s origin disagrees, fail closed', async () => {
    // The attacker's own project acme/api runs a job at the same commit; its token is set as a variable here.
    const foreign = composeJob({ token: 'glcbt-64_foreign-running-job', id: 8001, project: 'acme/api', pipelineId: 555 });
    const server = await gitlab(foreign);
    const runnerCheckout = await writeCheckout(join(examples, 'acme/web'), PIPELINE_SHA, `${server.url.replace('://', '://gitlab-ci-token:glcbt-64_real-job-token@')}/acme/web.git`);
    const envFile = await writeJobEnvFile(jobVariables(foreign, server.url, { POLICY_SIDECAR_TOKEN: TOKEN }));
    const run = await cli(['compose', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'], runnerCheckout);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain("the checkout's origin is acme/web, but GitLab says the job token's job belongs to acme/api");
    expect(run.stderr).not.toContain('glcbt-64_real-job-token');
    expect(run.stdout).toBe('');
  });

  it('the checkout\'s origin naming the job\'s own project: composed', async () => {
    const server = await gitlab();
    const runnerCheckout = await writeCheckout(join(examples, 'acme/web'), PIPELINE_SHA, `${server.url}/acme/web.git`);
    const run = await composeAsJob(server, runnerCheckout, {});
    expect(run.code, run.stderr).toBe(0);
  });

  it('a checkout whose HEAD is another commit fails closed', async () => {
    const other = await writeCheckout(join(examples, 'acme/web'), 'e'.repeat(40));
    const run = await composeAsJob(await gitlab(), other, {});
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain(`the working folder holds HEAD ${'e'.repeat(40)}, but GitLab says this pipeline's commit is ${PIPELINE_SHA}`);
    expect(run.stdout).toBe('');
  });

  it('no checkout at all (GIT_STRATEGY=none leaves an old folder) fails closed', async () => {
    const bare = await writeCheckout(join(examples, 'acme/web'), null);
    const run = await composeAsJob(await gitlab(), bare, { GIT_STRATEGY: 'none' });
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain(`the working folder holds no git checkout, but GitLab says this pipeline's commit is ${PIPELINE_SHA}`);
  });

  it('CI_PROJECT_DIR pointing at another folder is not where compose reads: the working folder is', async () => {
    const elsewhere = await writeCheckout(join(examples, 'acme/web'));
    await writeFile(join(elsewhere, '.gitlab-ci.yml'), 'only-in-elsewhere:\n  script: [exit 0]\n');
    const run = await composeAsJob(await gitlab(), checkout, { CI_PROJECT_DIR: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('only-in-elsewhere');
    expect(run.stdout).toContain('unit-tests:');
  });
});

describe('evaluate --job', () => {
  const mergeRequestJob = composeJob({ id: 7002, source: 'merge_request_event', ref: 'refs/merge-requests/42/head' });

  it('CI_PIPELINE_ID of another pipeline (would judge that pipeline\'s reports) fails closed', async () => {
    const server = await gitlab(mergeRequestJob);
    const envFile = await writeJobEnvFile(jobVariables(mergeRequestJob, server.url, { POLICY_SIDECAR_TOKEN: TOKEN, CI_PIPELINE_ID: '299' }));
    const run = await cli(['evaluate', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'], checkout);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain('CI_PIPELINE_ID is "299" in the job\'s variables, but GitLab says 300');
    // Nothing past the facts: no reports, no approval rules, no comment.
    expect(server.requests).toEqual(['GET /api/v4/job', 'GET /api/v4/projects/101', 'GET /api/v4/projects/101/merge_requests/42']);
  });

  it('CI_JOB_TOKEN of another project\'s running job: the checkout\'s origin disagrees, fail closed before any report is read', async () => {
    const foreign = composeJob({ token: 'glcbt-64_foreign-job', id: 8002, project: 'acme/api', pipelineId: 556 });
    const server = await startGitlab(foreign);
    servers.push(server);
    const runnerCheckout = await writeCheckout(join(examples, 'acme/web'), PIPELINE_SHA, `${server.url}/acme/web.git`);
    const envFile = await writeJobEnvFile(jobVariables(foreign, server.url, { POLICY_SIDECAR_TOKEN: TOKEN }));
    const run = await cli(['evaluate', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'], runnerCheckout);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain("the checkout's origin is acme/web, but GitLab says the job token's job belongs to acme/api");
    expect(server.requests.some((request) => request.includes('/pipelines/') || request.includes('approval_rules'))).toBe(false);
  });

  it('CI_MERGE_REQUEST_IID of another merge request fails closed', async () => {
    const server = await gitlab(mergeRequestJob);
    const envFile = await writeJobEnvFile(jobVariables(mergeRequestJob, server.url, { POLICY_SIDECAR_TOKEN: TOKEN, CI_MERGE_REQUEST_IID: '41' }));
    const run = await cli(['evaluate', '--job', '--job-env-file', envFile, '--gitlab-url', server.url], checkout);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain('CI_MERGE_REQUEST_IID is "41" in the job\'s variables, but GitLab says 42');
  });
});

describe('merge request pipelines', () => {
  it('the branches come from the merge request GitLab names in the ref, not CI_MERGE_REQUEST_TARGET_BRANCH_NAME', async () => {
    const job = composeJob({ source: 'merge_request_event', ref: 'refs/merge-requests/42/head' });
    const run = await composeAsJob(await gitlab(job), checkout, { CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release/1' }, job);
    expect(run.code).toBe(2);
    expect(messageOf(run)).toContain('CI_MERGE_REQUEST_TARGET_BRANCH_NAME is "release/1" in the job\'s variables, but GitLab says main');
  });

  it('without overrides: composed as a merge request pipeline of feature/cart into main', async () => {
    const job = composeJob({ source: 'merge_request_event', ref: 'refs/merge-requests/42/head' });
    const run = await composeAsJob(await gitlab(job), checkout, {}, job);
    expect(run.code, run.stderr).toBe(0);
    const report = await reportIn(checkout);
    expect([report.pipelineSource, report.ref]).toEqual(['merge_request_event', 'feature/cart']);
  });
});
