/**
 * The origin inside a GitLab CI job (SPEC §2, §6): the project's own files from the checkout
 * (CI_PROJECT_DIR), everything else from the GitLab API (CI_SERVER_URL), the pipeline's context
 * from the job's CI_* variables. The token is POLICY_SIDECAR_TOKEN, else CI_JOB_TOKEN; it goes
 * into the HTTP client and nowhere else.
 */
import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { SourceError } from '../errors.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import { createCheckoutSource } from '../sources/checkout/checkout-source.js';
import { createGitlabSource } from '../sources/gitlab/gitlab-source.js';
import { ciTemplatesLocation } from './ci-templates-option.js';
import { splitJobEnvironment } from './job-environment.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import type { Origin } from './origin.js';
import { connectToGitlab, policyProjectsOf, projectOf } from './gitlab-connection.js';
import { nonEmpty } from './option-values.js';

export async function openGitlabOrigin(
  options: CommandOptions<'compose'> | CommandOptions<'explain'>,
  flagVariables: Readonly<Record<string, string>>,
  io: CliIo,
): Promise<Origin> {
  const env = io.env;
  const { serverUrl, client, dispatcher } = connectToGitlab(options, env);
  const project = projectOf(options.project, env, 'compose');
  const gitlab = createGitlabSource({
    client,
    cacheDir: options.cacheDir ?? nonEmpty(env['POLICY_SIDECAR_CACHE_DIR']),
    ciTemplates: ciTemplatesLocation(options.ciTemplates, io.cwd),
  });
  const checkoutDir = resolve(io.cwd, env['CI_PROJECT_DIR'] ?? '.');
  const source = createCheckoutSource({ dir: checkoutDir, project, fallback: gitlab });
  const metadata = await source.readProject(project);
  if (metadata === undefined) {
    throw new SourceError('project-not-found', `project ${project} was not found on ${serverUrl}`, {
      hint: 'Check the project path and that the token can read it (scope read_api).',
    });
  }
  const { pipelineVariables, userVariables } = splitJobEnvironment(env);
  const policyProjects = await policyProjectsOf(options.policyProject, env, () => gitlab.policyProjectsOf(project));
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

