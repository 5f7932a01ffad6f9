/**
 * Recomputes, independently of the pipeline, what `compose` had to produce for it (issue 13):
 * the project's configuration at the pipeline's commit, the policy projects at their default
 * branch now, and the pipeline's real ref, source and commit message from GitLab's records, run
 * through the same compose core. Nothing comes from the pipeline's variables or artifacts.
 */
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { isSidecarError, SourceError } from '../errors.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import type { GitlabSource } from '../sources/gitlab/gitlab-source.js';
import type { Source } from '../sources/source.js';
import type { PipelineRecords } from '../verify/records.js';
import type { Recomputation } from '../verify/verify-pipeline.js';
import { composeFromOptions } from './commands/compose.js';
import type { CliIo } from './io.js';
import type { Origin } from './origin.js';
import { parseCommandLine } from './parse-args.js';
import { openWorkspaceOrigin } from './workspace-origin.js';

export interface RecomputeSettings {
  /** The project's own configuration file that the central compose job composes (component input config_path). */
  readonly configPath: string;
  /** The central file's policy projects (component input policy_projects); empty: those GitLab links. */
  readonly policyProjects: readonly string[];
  readonly templates: string | undefined;
  readonly allowRemoteHosts: readonly string[];
}

export type RecomputeOrigin =
  /** `source()`: the GitLab source to read through now (serve shares one for a while, verify-setup.ts). */
  | { readonly kind: 'gitlab'; readonly source: () => GitlabSource; readonly serverHost: string }
  | { readonly kind: 'workspace'; readonly workspace: string };

const MERGE_REQUEST_REF = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/;

export async function recomputeComposition(records: PipelineRecords, settings: RecomputeSettings, from: RecomputeOrigin, io: CliIo): Promise<Recomputation> {
  const { pipeline, project, mergeRequest } = records;
  const argv = ['compose', '--project', project.path, '--source', pipeline.source, '--sha', pipeline.sha, '--config-path', settings.configPath, '--pre-out', 'unused.yml'];
  if (pipeline.tag) argv.push('--tag', pipeline.ref);
  else if (MERGE_REQUEST_REF.test(pipeline.ref) && mergeRequest !== undefined) {
    argv.push('--branch', mergeRequest.sourceBranch, '--mr-target', mergeRequest.targetBranch, '--mr-iid', String(mergeRequest.iid));
  } else argv.push('--branch', pipeline.ref);
  if (pipeline.beforeSha !== undefined) argv.push('--before-sha', pipeline.beforeSha);
  if (settings.templates !== undefined) argv.push('--templates', settings.templates);
  for (const host of settings.allowRemoteHosts) argv.push('--allow-remote-host', host);
  for (const path of settings.policyProjects) argv.push('--policy-project', path);
  const parsed = parseCommandLine(argv);
  if (parsed.kind !== 'run' || parsed.command !== 'compose') throw new Error('compose arguments did not parse as compose');
  // What GitLab gives the compose job and the core reads from it: the commit message ([skip ci])
  // and the user (skip_ci allowlists).
  const pipelineVariables: Record<string, string> = { CI_COMMIT_MESSAGE: records.commitMessage, CI_PIPELINE_ID: String(pipeline.id) };
  if (pipeline.userId !== undefined) pipelineVariables['GITLAB_USER_ID'] = String(pipeline.userId);
  const origin = await openOrigin(records, settings, from, io, pipelineVariables);
  try {
    const { report } = await composeFromOptions(parsed.options, io, origin);
    return { kind: 'report', report };
  } catch (error) {
    // A policy or configuration the compose job could not compose either: the pipeline cannot be verified.
    if (isSidecarError(error) && (error.kind === 'policy' || error.kind === 'config')) return { kind: 'failed', message: error.message };
    throw error;
  }
}

async function openOrigin(records: PipelineRecords, settings: RecomputeSettings, from: RecomputeOrigin, io: CliIo, pipelineVariables: Record<string, string>): Promise<Origin> {
  if (from.kind === 'workspace') {
    const origin = await openWorkspaceOrigin({ workspace: from.workspace, project: records.project.path, userVariables: {}, policyProjects: settings.policyProjects, allowRemoteHosts: settings.allowRemoteHosts }, io);
    return { ...origin, pipelineVariables };
  }
  const gitlab = from.source();
  const path = records.project.path;
  const metadata = await gitlab.readProject(path);
  if (metadata === undefined) throw new SourceError('project-not-found', `project ${path} was not found`, { hint: 'The verifier token must read the project.' });
  const policyProjects = settings.policyProjects.length > 0 ? settings.policyProjects : await gitlab.policyProjectsOf(path);
  return {
    source: pinnedTo(gitlab, path, records.pipeline.sha),
    project: path,
    metadata,
    serverHost: from.serverHost,
    checkoutDir: undefined,
    showFile: (file) => file,
    pipelineVariables,
    userVariables: {},
    policyProjects,
    remote: createRemoteFetcher({ allowedHosts: settings.allowRemoteHosts, maxBytes: DEFAULT_LIMITS.maxRemoteBytes, timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs }),
  };
}

/** The project's own files at the pipeline's commit; every other project's at the ref asked (default branch). */
function pinnedTo(source: Source, project: string, sha: string): Source {
  return {
    readFile: (path, file, ref) => source.readFile(path, file, path === project && ref === undefined ? sha : ref),
    listFiles: (path, ref) => source.listFiles(path, path === project && ref === undefined ? sha : ref),
    readTemplate: (name) => source.readTemplate(name),
    readProject: (path) => source.readProject(path),
    openMergeRequests: (path, branch) => source.openMergeRequests(path, branch),
  };
}
