/**
 * `sync`: policy projects and the projects in their scope → the policy store (docs/store.md).
 * Workspace mode: every project of the workspace other than the policy projects. API mode: the
 * projects of `--group`, read through the same GitLab source compose uses.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { listGroupProjects } from '../../sources/gitlab/group-projects.js';
import { createGitlabSource } from '../../sources/gitlab/gitlab-source.js';
import { openWorkspace } from '../../sources/workspace/workspace-source.js';
import type { SyncInput, SyncOutcome } from '../../sync/sync-store.js';
import { gitlabHeadCommits, workspaceHeadCommits } from '../../sync/head-commits.js';
import { EXIT } from '../exit-codes.js';
import { connectToGitlab, policyProjectsOf } from '../gitlab-connection.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { storeLocationForStoreCommands, withStore } from '../store-location.js';
import { formatOf } from './store-questions.js';

export async function runSync(options: CommandOptions<'sync'>, io: CliIo): Promise<number> {
  const input = await syncInputOf(options, io);
  const { syncStore } = await import('../../sync/sync-store.js');
  const outcome = await withStore(storeLocationForStoreCommands(options, io), (store) => syncStore(store, input));
  io.stdout.write(formatOf(options.format) === 'json' ? `${JSON.stringify(outcome, null, 2)}\n` : describeSync(outcome));
  return EXIT.ok;
}

async function syncInputOf(options: CommandOptions<'sync'>, io: CliIo): Promise<SyncInput> {
  const policyProjects = await policyProjectsOf(options.policyProject, io.env, async () => {
    throw new UsageError('missing-option', '--policy-project is required', { hint: 'Name each security policy project to sync, top-most group first.' });
  });
  if (options.workspace !== undefined) {
    if (options.group !== undefined) throw new UsageError('bad-arguments', '--group is for the GitLab API; in workspace mode every project of the workspace is synced');
    const source = await openWorkspace(resolve(io.cwd, options.workspace));
    const projects = [...source.metadata.projects.entries()]
      .filter(([path]) => !policyProjects.includes(path))
      .map(([path, project]) => ({ path, ciConfigPath: project.ciConfigPath ?? null }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    return { source, headCommit: workspaceHeadCommits(source), policyProjects, projects, centralConfig: options.centralConfig };
  }
  if (options.group === undefined) {
    throw new UsageError('missing-option', '--group is required outside workspace mode', { hint: 'Name the group whose projects (and subgroups\' projects) to sync.' });
  }
  const { client } = connectToGitlab(options, io.env);
  const source = createGitlabSource({ client });
  const projects = await listGroupProjects(client, options.group, { except: policyProjects });
  return { source, headCommit: gitlabHeadCommits(client), policyProjects, projects, centralConfig: options.centralConfig };
}

function describeSync(outcome: SyncOutcome): string {
  const lines = outcome.policyProjects.map((project) =>
    project.changed ? `${project.path}: synced, ${project.versionsAdded} new policy version(s)` : `${project.path}: unchanged`,
  );
  lines.push(`projects: ${outcome.projects} read, ${outcome.projectsChanged} changed`);
  lines.push(`links: ${outcome.linksAdded} added or updated, ${outcome.linksRemoved} removed`);
  return `${lines.join('\n')}\n`;
}
