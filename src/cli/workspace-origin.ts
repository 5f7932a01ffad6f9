/** The offline origin (SPEC §6 "Workspace mode"): every project is a folder of the workspace. */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { UsageError } from '../errors.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import { openWorkspace } from '../sources/workspace/workspace-source.js';
import type { CliIo } from './io.js';
import type { Origin } from './origin.js';
import { workspacePathShower } from './shown-paths.js';

export interface WorkspaceOriginOptions {
  readonly workspace: string;
  readonly project: string;
  readonly userVariables: Readonly<Record<string, string>>;
  readonly policyProjects: readonly string[];
  readonly allowRemoteHosts: readonly string[];
}

export async function openWorkspaceOrigin(options: WorkspaceOriginOptions, io: CliIo): Promise<Origin> {
  const workspace = await openWorkspace(resolve(io.cwd, options.workspace));
  const metadata = await workspace.readProject(options.project);
  if (metadata === undefined) {
    throw new UsageError('unknown-project', `project ${options.project} is not in workspace ${options.workspace}`, {
      hint: `Create ${join(options.workspace, options.project)}/ or list it in workspace.yml.`,
    });
  }
  const projectDir = workspace.projectDir(options.project);
  const isCheckout = (await stat(join(projectDir, '.git')).catch(() => undefined)) !== undefined;
  return {
    source: workspace,
    project: options.project,
    metadata,
    serverHost: workspace.metadata.serverHost,
    checkoutDir: isCheckout ? projectDir : undefined,
    showFile: workspacePathShower(io.cwd, workspace.root, options.project),
    pipelineVariables: {},
    userVariables: options.userVariables,
    policyProjects: options.policyProjects,
    remote: createRemoteFetcher({
      allowedHosts: options.allowRemoteHosts,
      maxBytes: DEFAULT_LIMITS.maxRemoteBytes,
      timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs,
    }),
  };
}
