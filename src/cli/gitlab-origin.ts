/**
 * The origin of an API-mode run (SPEC §2, §6): the project's own files from the checkout (the
 * working folder, never CI_PROJECT_DIR), everything else from the GitLab API. With --job the
 * project and the pipeline's facts come from GitLab through the job token (job-facts-check.ts)
 * and the checkout must hold GitLab's SHA; on a terminal, flags give them. The token goes into
 * the HTTP client and nowhere else.
 */
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { ConfigError, SourceError } from '../errors.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import { readCheckoutHead, readCheckoutOriginPath } from '../sources/checkout/checkout-head.js';
import { createCheckoutSource } from '../sources/checkout/checkout-source.js';
import { createGitlabSource } from '../sources/gitlab/gitlab-source.js';
import { ciTemplatesLocation } from './ci-templates-option.js';
import type { JobFacts } from '../sources/gitlab/job-facts.js';
import { splitJobEnvironment } from './job-environment.js';
import { learnJobFacts } from './job-facts-check.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import type { Origin } from './origin.js';
import { connectToGitlab, policyProjectsOf } from './gitlab-connection.js';
import { nonEmpty, requireOption } from './option-values.js';

export async function openGitlabOrigin(
  options: CommandOptions<'compose'> | CommandOptions<'explain'>,
  flagVariables: Readonly<Record<string, string>>,
  io: CliIo,
): Promise<Origin> {
  const env = io.env;
  const connection = connectToGitlab(options, env);
  const { serverUrl, client, dispatcher } = connection;
  const jobFacts = options.job ? await learnJobFacts(connection, io, 'compose') : undefined;
  const project = jobFacts === undefined ? requireOption(options.project, 'project', 'compose') : jobProject(jobFacts, options.project);
  // The checkout is the working folder: the runner starts the job there (CI_PROJECT_DIR would be a variable).
  const checkoutDir = io.cwd;
  if (jobFacts !== undefined) await requireCheckoutOf(checkoutDir, jobFacts, serverUrl);
  const gitlab = createGitlabSource({
    client,
    cacheDir: options.cacheDir ?? nonEmpty(env['POLICY_SIDECAR_CACHE_DIR']),
    ciTemplates: ciTemplatesLocation(options.ciTemplates, io.cwd),
  });
  const source = createCheckoutSource({ dir: checkoutDir, project, fallback: gitlab });
  const metadataRead = source.readProject(project);
  // The policy projects' links go out in the same round as the project's metadata
  // (docs/gitlab-api.md "Composing the example"). Awaited only once the project is known to
  // exist, so a missing project is still the error reported.
  const policyProjectsRead = policyProjectsOf(options.policyProject, env, () => gitlab.policyProjectsOf(project));
  policyProjectsRead.catch(() => undefined);
  const metadata = await metadataRead;
  if (metadata === undefined) {
    throw new SourceError('project-not-found', `project ${project} was not found on ${serverUrl}`, {
      hint: 'Check the project path and that the token can read it (scope read_api).',
    });
  }
  const { pipelineVariables, userVariables } = splitJobEnvironment(io.jobVariables ?? {});
  const policyProjects = await policyProjectsRead;
  return {
    source,
    project,
    metadata,
    serverHost: new URL(serverUrl).host,
    checkoutDir,
    // Paths of the pipeline's project are relative to the checkout, which is the working folder in CI.
    showFile: (file) => file,
    pipelineVariables,
    userVariables: { ...userVariables, ...flagVariables },
    policyProjects,
    jobFacts,
    remote: createRemoteFetcher({
      allowedHosts: options.allowRemoteHost,
      maxBytes: DEFAULT_LIMITS.maxRemoteBytes,
      timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs,
      dispatcher,
    }),
  };
}

/** GitLab's project of the job; a --project naming another one is refused, not obeyed. */
export function jobProject(facts: JobFacts, option: string | undefined): string {
  if (option !== undefined && option !== facts.projectPath) {
    throw new ConfigError('job-variable-mismatch', `--project ${option} is not the job's project: GitLab says ${facts.projectPath}`, {
      hint: 'Leave --project out with --job: the project is the one GitLab runs the job for.',
    });
  }
  return facts.projectPath;
}

/** Where the runner left an `origin` remote, it must name GitLab's project of the job token's job. */
export async function requireCheckoutOfJobProject(dir: string, facts: JobFacts, serverUrl: string): Promise<void> {
  const originPath = await readCheckoutOriginPath(dir);
  const expectedPath = `${new URL(serverUrl).pathname.replace(/\/+$/, '')}/${facts.projectPath}`;
  if (originPath !== undefined && originPath !== expectedPath) {
    throw new ConfigError('checkout-not-job-project', `the checkout's origin is ${originPath.replace(/^\//, '')}, but GitLab says the job token's job belongs to ${facts.projectPath}`, {
      hint: 'Remove the project, group or pipeline variable CI_JOB_TOKEN: the job must use its own job token.',
    });
  }
}

/**
 * The files composed must be GitLab's commit: a job variable can change the checkout (GIT_STRATEGY,
 * GIT_CHECKOUT, GIT_DEPTH...) or leave an older one in place. And the checkout must be of the
 * project GitLab named: CI_JOB_TOKEN is a variable too, and the job token of another project's
 * running job would make `GET /job` describe that job. The runner's `origin` remote is the only
 * record of the job's own project in the container; where it is missing, the check cannot tell.
 */
async function requireCheckoutOf(dir: string, facts: JobFacts, serverUrl: string): Promise<void> {
  await requireCheckoutOfJobProject(dir, facts, serverUrl);
  const head = await readCheckoutHead(dir);
  if (head === facts.sha) return;
  const found = head === undefined ? 'no git checkout' : `HEAD ${head}`;
  throw new ConfigError('checkout-not-pipeline-sha', `the working folder holds ${found}, but GitLab says this pipeline's commit is ${facts.sha}`, {
    hint: 'policy:compose composes the files of the pipeline\'s own commit: remove the variables that change the checkout (GIT_STRATEGY, GIT_CHECKOUT, GIT_DEPTH...) from the project.',
  });
}
