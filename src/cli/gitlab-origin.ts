/**
 * The origin inside a GitLab CI job (SPEC §2, §6): the project's own files from the checkout
 * (CI_PROJECT_DIR), everything else from the GitLab API (CI_SERVER_URL), the pipeline's context
 * from the job's CI_* variables. The token is POLICY_SIDECAR_TOKEN, else CI_JOB_TOKEN; it goes
 * into the HTTP client and nowhere else.
 */
import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { SourceError, UsageError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { createDispatcher } from '../http/dispatcher.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import { createCheckoutSource } from '../sources/checkout/checkout-source.js';
import { createGitlabSource } from '../sources/gitlab/gitlab-source.js';
import { splitJobEnvironment } from './job-environment.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import type { Origin } from './origin.js';
import { credentialFrom, nonEmpty, wholeNumber } from './option-values.js';

export async function openGitlabOrigin(
  options: CommandOptions<'compose'> | CommandOptions<'explain'>,
  flagVariables: Readonly<Record<string, string>>,
  io: CliIo,
): Promise<Origin> {
  const env = io.env;
  const serverUrl = options.gitlabUrl ?? env['CI_SERVER_URL'];
  if (serverUrl === undefined || serverUrl === '') {
    throw new UsageError('no-gitlab', 'not in a GitLab CI job: CI_SERVER_URL is not set', {
      hint: 'Run inside GitLab CI, pass --gitlab-url URL, or work offline with --workspace DIR.',
    });
  }
  const project = options.project ?? env['CI_PROJECT_PATH'];
  if (project === undefined || project === '') {
    throw new UsageError('missing-option', '--project is required outside a GitLab CI job (CI_PROJECT_PATH is not set)');
  }
  const timeoutMs = 1000 * (wholeNumber(options.httpTimeout, 'http-timeout', 1) ?? 30);
  const retries = wholeNumber(options.httpRetries, 'http-retries', 0) ?? 4;
  const dispatcher = createDispatcher(env, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  const client = createHttpClient({
    baseUrl: `${serverUrl.replace(/\/+$/, '')}/api/v4`,
    credential: credentialFrom(env),
    dispatcher,
    retries: { max: retries, baseDelayMs: 250, maxDelayMs: 10_000 },
  });
  const gitlab = createGitlabSource({ client, cacheDir: options.cacheDir ?? nonEmpty(env['POLICY_SIDECAR_CACHE_DIR']) });
  const checkoutDir = resolve(io.cwd, env['CI_PROJECT_DIR'] ?? '.');
  const source = createCheckoutSource({ dir: checkoutDir, project, fallback: gitlab });
  const metadata = await source.readProject(project);
  if (metadata === undefined) {
    throw new SourceError('project-not-found', `project ${project} was not found on ${serverUrl}`, {
      hint: 'Check the project path and that the token can read it (scope read_api).',
    });
  }
  const { pipelineVariables, userVariables } = splitJobEnvironment(env);
  const configured = nonEmpty(env['POLICY_SIDECAR_POLICY_PROJECTS']);
  const policyProjects =
    options.policyProject.length > 0
      ? options.policyProject
      : configured !== undefined
        ? configured.split(',').map((path) => path.trim()).filter((path) => path !== '')
        : await gitlab.policyProjectsOf(project);
  return {
    source,
    project,
    metadata,
    serverHost: env['CI_SERVER_FQDN'] ?? env['CI_SERVER_HOST'] ?? new URL(serverUrl).host,
    checkoutDir,
    // Paths of the pipeline's project are relative to the checkout, which is the working folder in CI.
    showFile: (file) => file,
    pipelineVariables,
    userVariables: { ...userVariables, ...flagVariables },
    policyProjects,
    remote: createRemoteFetcher({
      allowedHosts: options.allowRemoteHost,
      maxBytes: DEFAULT_LIMITS.maxRemoteBytes,
      timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs,
      dispatcher,
    }),
  };
}

