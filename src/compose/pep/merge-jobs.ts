/**
 * Policy jobs into the pipeline, one policy after another (gitlab-pep-sep.md §3.4, JobsInjector
 * #add_job / #add_suffix, §3.2 "Stage placement when merging jobs").
 */
import { PolicyError } from '../../errors.js';
import type { ComposedJob, DroppedPolicyJob, PepPolicy, PolicyPipeline } from '../types.js';
import { rewriteNeeds } from './job-needs.js';

export interface JobMergeBase {
  /** The merged, wrapped stage list: a policy job whose stage is not in it is dropped. */
  readonly stages: readonly string[];
  /** Jobs already in the pipeline (the project's); they are never renamed. */
  readonly jobs: readonly ComposedJob[];
}

export interface PolicyJobMerge {
  readonly policy: PepPolicy;
  /** Final names of the policy's jobs that landed, in its own order. */
  readonly jobs: readonly string[];
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly droppedNeeds: readonly { readonly job: string; readonly need: string }[];
}

export interface JobMergeResult {
  /** Base jobs first, then each policy's jobs in merge order. */
  readonly jobs: readonly ComposedJob[];
  readonly dropped: readonly DroppedPolicyJob[];
  /** One entry per policy pipeline given, in the same order. */
  readonly merges: readonly PolicyJobMerge[];
}

/** The job name GitLab gives a conflicting policy job: `<name>:policy-<spp project id>-<policy index>`. */
export function suffixedJobName(name: string, policy: PepPolicy): string {
  return `${name}:policy-${policy.policyProject.id}-${policy.index}`;
}

/**
 * `policies` are the non-empty policy pipelines in merge order (§3.4). Each policy's jobs are
 * checked against every name already taken, including its own jobs merged before them.
 */
export function mergePolicyJobs(base: JobMergeBase, policies: readonly PolicyPipeline[]): JobMergeResult {
  const declared = new Set(base.stages);
  const taken = new Set(base.jobs.map((job) => job.name));
  const jobs: ComposedJob[] = [...base.jobs];
  const dropped: DroppedPolicyJob[] = [];
  const merges: PolicyJobMerge[] = [];
  for (const { policy, pipeline } of policies) {
    const placed: ComposedJob[] = [];
    const renamed = new Map<string, string>();
    const droppedNames = new Set<string>();
    // The policy's own job order; GitLab walks stage by stage, which only matters for the
    // improbable case of a policy defining both `x` and `x:policy-<id>-<index>`.
    for (const job of pipeline.jobs) {
      if (!declared.has(job.stage)) {
        droppedNames.add(job.name);
        dropped.push({ name: job.name, policy, stage: job.stage, reason: droppedReason(job.stage, policy) });
        continue;
      }
      const name = claimName(job.name, policy, taken, job.location);
      taken.add(name);
      if (name !== job.name) renamed.set(job.name, name);
      placed.push({ ...job, name, originalName: job.name, origin: { kind: 'policy', policy } });
    }
    // §3.4: only this policy's own jobs follow its renames; project jobs' needs are untouched.
    const droppedNeeds: { job: string; need: string }[] = [];
    for (const job of placed) {
      if (job.needs === undefined || (renamed.size === 0 && droppedNames.size === 0)) {
        jobs.push(job);
        continue;
      }
      const rewrite = rewriteNeeds(job.needs, renamed, droppedNames);
      for (const need of rewrite.removed) droppedNeeds.push({ job: job.name, need });
      jobs.push({ ...job, needs: rewrite.needs });
    }
    merges.push({
      policy,
      jobs: placed.map((job) => job.name),
      renamed: [...renamed].map(([from, to]) => ({ from, to })),
      droppedNeeds,
    });
  }
  return { jobs, dropped, merges };
}

/**
 * §3.4: a free name is kept; a taken one gets the suffix once (`on_conflict`) and is not
 * retried; `never`, or a suffixed name that is taken too, fails the pipeline. The message
 * names the clashing name, the suffixed one in the second case (JobsInjector raises with the
 * job's name after the rename).
 */
function claimName(name: string, policy: PepPolicy, taken: ReadonlySet<string>, location: ComposedJob['location']): string {
  if (!taken.has(name)) return name;
  const owner = `policy "${policy.policy.name}" (${policy.policyProject.path}, index ${policy.index})`;
  if (policy.policy.suffix === 'never') {
    const hint =
      `Job "${name}" of ${owner} has \`suffix: never\`, and the project or an earlier policy already has a job ` +
      'with that name. Rename one of them, or use `suffix: on_conflict`.';
    throw duplicateJobError(name, location, hint);
  }
  const suffixed = suffixedJobName(name, policy);
  if (taken.has(suffixed)) {
    const hint = `Job "${name}" of ${owner} clashed, and its suffixed name "${suffixed}" is taken too. Rename one of the jobs.`;
    throw duplicateJobError(suffixed, location, hint);
  }
  return suffixed;
}

function duplicateJobError(name: string, location: ComposedJob['location'], hint: string): PolicyError {
  return new PolicyError('pep-duplicate-job', `Pipeline execution policy error: job names must be unique (${name})`, { location, hint });
}

function droppedReason(stage: string, policy: PepPolicy): string {
  const why = policy.policy.strategy === 'inject_ci' ? ' (inject_ci adds no stages; inject_policy would)' : '';
  return `stage "${stage}" is not declared in the pipeline's stages${why}; GitLab drops such a job without a message`;
}
