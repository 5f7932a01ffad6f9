/**
 * A GitLab CI job as the CLI meets it with --job: a running job on the fake instance (its
 * JOB-TOKEN answers `GET /job`), a checkout whose `.git/HEAD` holds the pipeline's SHA, and the
 * job's environment as the component hands it over (NUL-separated NAME=value, --job-env-file).
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeJob } from '../http/gitlab-instance.js';

export const JOB_TOKEN = 'glcbt-64_job-token-secret-0123456789';
export const PIPELINE_SHA = '0ec9e58fdfca6cdd6652c083c9edb53abc0bad52';

/** The policy:compose job of push pipeline 300 on acme/web main, unless `overrides` say otherwise. */
export function composeJob(overrides: Partial<FakeJob> = {}): FakeJob {
  return { token: JOB_TOKEN, id: 7001, project: 'acme/web', pipelineId: 300, source: 'push', ref: 'main', sha: PIPELINE_SHA, ...overrides };
}

/** What GitLab puts in that job's environment (the variables our checks compare), plus `extra`. */
export function jobVariables(job: FakeJob, serverUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const mergeRequest = /^refs\/merge-requests\/(\d+)\//.exec(job.ref)?.[1];
  const refVariables: Record<string, string> =
    job.tag === true ? { CI_COMMIT_TAG: job.ref, CI_COMMIT_REF_NAME: job.ref } : mergeRequest !== undefined ? { CI_MERGE_REQUEST_IID: mergeRequest } : { CI_COMMIT_BRANCH: job.ref, CI_COMMIT_REF_NAME: job.ref };
  return {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: serverUrl,
    CI_JOB_ID: String(job.id),
    CI_JOB_TOKEN: job.token,
    CI_PROJECT_PATH: job.project,
    CI_PIPELINE_ID: String(job.pipelineId),
    CI_PIPELINE_SOURCE: job.source,
    CI_COMMIT_SHA: job.sha,
    CI_CONFIG_PATH: 'pipeline.yml@platform/ci',
    ...refVariables,
    ...extra,
  };
}

/** The job's environment file, NUL-separated as /proc/<pid>/environ. */
export async function writeJobEnvFile(variables: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'job-env-'));
  const file = join(dir, 'environ');
  await writeFile(file, Object.entries(variables).map(([name, value]) => `${name}=${value}\0`).join(''));
  return file;
}

/**
 * A copy of `projectDir` checked out (detached) at `sha`, as the runner leaves it; `null`: no
 * `.git` at all. `originUrl`: the `origin` remote the runner writes into `.git/config`.
 */
export async function writeCheckout(projectDir: string, sha: string | null = PIPELINE_SHA, originUrl?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'checkout-'));
  await cp(projectDir, dir, { recursive: true });
  if (sha !== null) {
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, '.git', 'HEAD'), `${sha}\n`);
    if (originUrl !== undefined) await writeFile(join(dir, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${originUrl}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
  }
  return dir;
}
