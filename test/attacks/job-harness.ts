/**
 * The harness of the attack tests on a CI job's trust (issue #10): the real CLI process with
 * `--job`, as the components start it (an empty process environment, the job's variables in a
 * file), against a GitLab stand-in on 127.0.0.1 that knows the running job (`GET /job`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import type { FakeJob } from '../http/gitlab-instance.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { composeJob, jobVariables, writeJobEnvFile } from '../helpers/ci-job.js';
import { repoRoot, runRealCli, type CliResult } from './real-cli.js';

export { repoRoot };

export const examples = join(repoRoot, 'examples/workspace');
export const TOKEN = 'glpat-attack-secret-0123456789';
/** The environment `/usr/bin/env -i HOME=/tmp PATH=...` leaves node. */
export const CLEAN_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: tmpdir() };

export type CliRun = CliResult;

/** A stand-in GitLab serving the example workspace, whose running job is `job`. */
export async function startGitlab(job: FakeJob = composeJob()): Promise<ServedHandlers> {
  return serveHandlers((baseUrl) => gitlabHandlersFor(examples, { baseUrl, token: TOKEN, job }));
}

/** The real CLI (dist/cli/main.js), in `cwd`, with exactly `env` as its environment. */
export async function cli(args: readonly string[], cwd: string, env: Record<string, string> = CLEAN_ENV): Promise<CliRun> {
  return runRealCli(args, { cwd, env });
}

/**
 * `compose --job` as policy:compose runs it for `job` on `gitlab`, the job's variables being
 * GitLab's plus `attack` (project, group or pipeline variables, which win over predefined ones).
 */
export async function composeAsJob(gitlab: ServedHandlers, checkout: string, attack: Record<string, string>, job: FakeJob = composeJob(), flags: readonly string[] = []): Promise<CliRun> {
  const envFile = await writeJobEnvFile(jobVariables(job, gitlab.url, { POLICY_SIDECAR_TOKEN: TOKEN, ...attack }));
  return cli(['compose', '--job', '--job-env-file', envFile, '--gitlab-url', gitlab.url, '--policy-project', 'security/policies', '--report', 'policy-report.json', ...flags], checkout);
}

/** The first line of standard error that is not a JSON log line. */
export function messageOf(run: CliRun): string {
  return run.stderr.split('\n').find((line) => line.startsWith('policy-sidecar: ')) ?? '';
}
