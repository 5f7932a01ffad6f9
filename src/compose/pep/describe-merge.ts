/**
 * The report's account of the merge: per policy, whether and how its jobs landed; for the
 * pipeline, why it exists or not. GitLab says none of this; we record it (STYLE: the core does
 * not log, every decision goes into the report).
 */
import type { ResolvedPipeline } from '../../ci/pipeline.js';
import type { DroppedPolicyJob, PolicyMergeOutcome, PolicyPipeline } from '../types.js';
import type { PolicyJobMerge } from './merge-jobs.js';

/** A policy whose own pipeline is empty (§3.1 step 3: GitLab skips it silently). */
export function describeSkippedPolicy({ policy, pipeline }: PolicyPipeline): PolicyMergeOutcome {
  return {
    policy,
    strategy: policy.policy.strategy,
    merged: false,
    reason: `not merged: its pipeline is empty (${pipeline.reason}); GitLab skips such a policy without a message`,
    jobs: [],
    renamed: [],
    addedStages: [],
    droppedNeeds: [],
    excluded: pipeline.excluded,
  };
}

export function describeMergedPolicy(
  { policy, pipeline }: PolicyPipeline,
  merge: PolicyJobMerge,
  dropped: readonly DroppedPolicyJob[],
  addedStages: readonly string[],
): PolicyMergeOutcome {
  const strategy = policy.policy.strategy;
  const own = dropped.filter((job) => job.policy === policy);
  const parts = [`${strategy}: merged ${count(merge.jobs.length, 'job')}`];
  if (merge.renamed.length > 0) parts.push(`renamed ${merge.renamed.map(({ from, to }) => `${from} → ${to}`).join(', ')} (name conflict)`);
  if (own.length > 0) parts.push(`dropped ${own.map((job) => `${job.name} (stage ${job.stage} not declared)`).join(', ')}`);
  if (addedStages.length > 0) parts.push(`added ${count(addedStages.length, 'stage')}: ${addedStages.join(', ')}`);
  return {
    policy,
    strategy,
    merged: true,
    reason: parts.join('; '),
    jobs: merge.jobs,
    renamed: merge.renamed,
    addedStages,
    droppedNeeds: merge.droppedNeeds,
    excluded: pipeline.excluded,
  };
}

export interface PipelineFacts {
  /** The project pipeline, when its configuration was used (not overridden, not absent). */
  readonly project: ResolvedPipeline | undefined;
  readonly hasProjectConfig: boolean;
  /** Override policies applicable, merged or not. */
  readonly overrides: readonly PolicyPipeline[];
  /** Whether any job outside `.pre`/`.post` is left. */
  readonly runnable: boolean;
}

/** Why the composed pipeline is created or not (§3.7 for the workflow cases). */
export function describePipelineOutcome({ project, hasProjectConfig, overrides, runnable }: PipelineFacts): string {
  if (overrides.length > 0) {
    const names = overrides.map(({ policy }) => `"${policy.policy.name}"`).join(', ');
    if (runnable) return `override_project_ci policy ${names} replaces the project configuration`;
    const empty = overrides.filter(({ pipeline }) => !pipeline.created);
    if (empty.length === overrides.length) {
      // Behaviour 39 (17.10+): the override policy's workflow decides for the whole pipeline.
      const why = empty.map(({ policy, pipeline }) => `"${policy.policy.name}": ${pipeline.reason}`).join('; ');
      return `no pipeline: the override_project_ci policy pipeline is empty (${why}) and the project configuration is ignored`;
    }
    return `no pipeline: only .pre and .post jobs are left under override_project_ci policy ${names}`;
  }
  if (!hasProjectConfig) {
    return runnable
      ? 'the project has no CI configuration; the pipeline holds only policy jobs'
      : 'no pipeline: the project has no CI configuration and no policy job applies';
  }
  if (project === undefined) return runnable ? 'the pipeline holds only policy jobs' : 'no pipeline';
  if (project.created) return project.reason;
  // Behaviour 38: workflow rules are evaluated separately, so policy jobs alone make a pipeline.
  return runnable
    ? `the project pipeline is not created (${project.reason}); the policy jobs run on their own, as in GitLab`
    : `no pipeline: ${project.reason}, and no policy job applies`;
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
