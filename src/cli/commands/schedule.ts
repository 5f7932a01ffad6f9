/**
 * `schedule` (SPEC §3, docs/schedules.md): the plan of the scan execution policies' `type:
 * schedule` rules, and the GitLab pipeline schedules that run them. Workspace mode prints the plan
 * and the schedules that should exist. API mode also lists the project's pipeline schedules and
 * prints the changes; with --apply it makes them, touching only schedules we created.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { SourceError, UsageError } from '../../errors.js';
import { loadPolicyFilesByPath } from '../../policies/load-policies.js';
import type { PolicyFile } from '../../policies/types.js';
import { planSchedules, type SchedulePlan } from '../../schedule/plan-schedules.js';
import { isOurSchedule, reconcileSchedules, type ScheduleChange } from '../../schedule/reconcile-schedules.js';
import { renderScheduleChanges, renderSchedulePlan } from '../../schedule/render-plan.js';
import { createGitlabSource } from '../../sources/gitlab/gitlab-source.js';
import { createPipelineScheduleApi, type PipelineScheduleApi } from '../../sources/gitlab/pipeline-schedules.js';
import type { ProjectMetadata } from '../../sources/source.js';
import { openWorkspace } from '../../sources/workspace/workspace-source.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { requireOption } from '../option-values.js';
import { connectToGitlab, policyProjectsOf, projectOf } from '../gitlab-connection.js';

type ScheduleOptions = CommandOptions<'schedule'>;

/** What the process provides; tests pass msw's dispatcher and a fixed clock. */
export interface ScheduleControl {
  readonly dispatcher?: Dispatcher;
  readonly now?: () => Date;
}

const LIMITS = { perPolicyProject: 5, actionsPerPolicy: 10 };

export async function runSchedule(options: ScheduleOptions, io: CliIo, control: ScheduleControl = {}): Promise<number> {
  const at = instantOf(options.at, control.now ?? (() => new Date()));
  if (options.workspace !== undefined) {
    if (options.apply) throw new UsageError('bad-arguments', '--apply needs the GitLab API: leave out --workspace');
    const workspace = await openWorkspace(resolve(io.cwd, options.workspace));
    const project = requireOption(options.project, 'project', 'schedule');
    const metadata = await workspace.readProject(project);
    if (metadata === undefined) throw new UsageError('unknown-project', `project ${project} is not in workspace ${options.workspace}`, { hint: 'List it in workspace.yml.' });
    const plan = makePlan(metadata, await loadPolicyFilesByPath(workspace, options.policyProject), undefined, at);
    io.stdout.write(renderSchedulePlan(project, plan));
    io.stdout.write(renderScheduleChanges(reconcileSchedules(plan.schedules, []), 'offline'));
    return EXIT.ok;
  }
  const { gitlab, api, metadata, policyProjects } = await openApi(options, io, control);
  const plan = makePlan(metadata, await loadPolicyFilesByPath(gitlab, policyProjects), await api.branches(), at);
  io.stdout.write(renderSchedulePlan(metadata.path, plan));
  const changes = reconcileSchedules(plan.schedules, await api.schedules(isOurSchedule));
  if (options.apply) await applyChanges(api, changes);
  io.stdout.write(renderScheduleChanges(changes, options.apply ? 'applied' : 'dry-run'));
  return EXIT.ok;
}

function makePlan(metadata: ProjectMetadata, files: readonly PolicyFile[], existing: readonly string[] | undefined, at: Date): SchedulePlan {
  return planSchedules({
    files,
    subject: { projectId: metadata.id, groupIds: metadata.groups, complianceFrameworks: metadata.complianceFrameworks },
    branches: { projectPath: metadata.path, defaultBranch: metadata.defaultBranch, protectedBranches: metadata.protectedBranches, existing },
    limits: LIMITS,
    at,
  });
}

async function applyChanges(api: PipelineScheduleApi, changes: readonly ScheduleChange[]): Promise<void> {
  // One at a time, in plan order: a failure leaves the earlier changes made and says which one failed.
  for (const change of changes) {
    if (change.kind === 'create') await api.create(change.wanted);
    else if (change.kind === 'update') await api.update(change.id, change.wanted, change.existing);
    else if (change.kind === 'delete') await api.remove(change.id);
  }
}

async function openApi(options: ScheduleOptions, io: CliIo, control: ScheduleControl) {
  const env = io.env;
  const { serverUrl, client } = connectToGitlab(options, env, control.dispatcher);
  const project = projectOf(options.project, env, 'schedule');
  const gitlab = createGitlabSource({ client });
  const metadata = await gitlab.readProject(project);
  if (metadata === undefined) throw new SourceError('project-not-found', `project ${project} was not found on ${serverUrl}`, { hint: 'Check the project path and that the token can read it (scope api: schedules are written).' });
  const policyProjects = await policyProjectsOf(options.policyProject, env, () => gitlab.policyProjectsOf(project));
  return { gitlab, api: createPipelineScheduleApi(client, metadata.id), metadata, policyProjects };
}

function instantOf(text: string | undefined, now: () => Date): Date {
  if (text === undefined) return now();
  const instant = new Date(text);
  // ISO 8601 with a date; a bare time or a local-time string without zone is ambiguous.
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError('bad-arguments', `--at ${text} is not an ISO 8601 time`, { hint: 'Write e.g. 2025-06-01T02:00:00Z.' });
  }
  return instant;
}

