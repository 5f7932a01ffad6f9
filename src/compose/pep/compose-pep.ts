/**
 * The project pipeline and the applicable pipeline execution policies' pipelines, each resolved
 * on its own, merged into one pipeline the way GitLab does it (gitlab-pep-sep.md §3.1 steps
 * 3–5): empty policy pipelines are skipped; stages are merged (inject_policy: DAG,
 * override_project_ci: ordered subsets); then jobs are merged policy after policy.
 */
import { POST_STAGE, PRE_STAGE } from '../../ci/expand/stages.js';
import type { IncludedFileRecord, ResolvedJob, ResolvedPipeline } from '../../ci/pipeline.js';
import type { ComposedJob, ComposedPipeline, PolicyMergeOutcome, PolicyPipeline } from '../types.js';
import { describeMergedPolicy, describePipelineOutcome, describeSkippedPolicy } from './describe-merge.js';
import { mergePolicyJobs } from './merge-jobs.js';
import { defaultWrappedStages, mergeInjectStages, mergeOverrideStages, unwrap, wrapReservedStages, type PolicyStages } from './stages.js';

/**
 * `project` is undefined when the project has no CI configuration, or when an override policy
 * applies (its configuration is then never read). `policies` are the applicable policies'
 * pipelines in merge order (§3.4).
 */
export function composeWithPolicies(project: ResolvedPipeline | undefined, policies: readonly PolicyPipeline[]): ComposedPipeline {
  // §2 "Override wins over inject": any applicable override policy, even one whose pipeline is
  // empty, replaces the project configuration (17.8+, behaviour 39).
  const overrides = policies.filter(({ policy }) => policy.policy.strategy === 'override_project_ci');
  const overridden = overrides.length > 0;
  const base = overridden ? undefined : project;
  // §3.1 step 3: an empty policy pipeline (workflow or job rules, or only .pre/.post jobs as the
  // resolver decides, behaviour 17) is skipped and contributes neither stages nor jobs.
  const applied = policies.filter(({ pipeline }) => pipeline.created);

  const baseStages = overridden
    ? mergeOverrideStages(applied.filter(isOverride).map(stagesOf))
    : base === undefined
      ? defaultWrappedStages()
      : wrapReservedStages(base.stages);
  const injected = applied.filter(({ policy }) => policy.policy.strategy === 'inject_policy');
  // §3.2 step 5: only inject_policy policies add stages; inject_ci policies add none.
  const stages = injected.length === 0 ? baseStages : mergeInjectStages(baseStages, injected.map(stagesOf));

  // A filtered-out project pipeline has no jobs (behaviour 38); one with only .pre/.post jobs
  // keeps them, since GitLab checks for an empty pipeline after policy jobs are merged.
  const projectJobs = (base?.jobs ?? []).map(toProjectJob);
  const merged = mergePolicyJobs({ stages, jobs: projectJobs }, applied);

  const addedStages = stagesFirstAddedBy(applied, overridden ? [] : baseStages);
  const policyMerges: PolicyMergeOutcome[] = policies.map((entry) => {
    const index = applied.indexOf(entry);
    const merge = merged.merges[index];
    if (index < 0 || merge === undefined) return describeSkippedPolicy(entry);
    return describeMergedPolicy(entry, merge, merged.dropped, addedStages[index] ?? []);
  });

  // docs "ci/yaml/#stage-pre": a pipeline of only .pre/.post jobs is not created; the reserved
  // policy stages do count (behaviour 15).
  const runnable = merged.jobs.some((job) => job.stage !== PRE_STAGE && job.stage !== POST_STAGE);
  return {
    created: runnable,
    reason: describePipelineOutcome({ project: base, hasProjectConfig: overridden || project !== undefined, overrides, runnable }),
    name: base?.name,
    stages,
    jobs: merged.jobs,
    excluded: base?.excluded ?? [],
    droppedPolicyJobs: merged.dropped,
    policyMerges,
    files: uniqueFiles([...(base?.files ?? []), ...policies.flatMap(({ pipeline }) => pipeline.files)]),
  };
}

/** The pipeline an earlier step decided not to create, for callers that stop before the merge (e.g. `[skip ci]`). */
export function emptyComposedPipeline(reason: string): ComposedPipeline {
  return { created: false, reason, name: undefined, stages: [], jobs: [], excluded: [], droppedPolicyJobs: [], policyMerges: [], files: [] };
}

function isOverride({ policy }: PolicyPipeline): boolean {
  return policy.policy.strategy === 'override_project_ci';
}

function stagesOf({ policy, pipeline }: PolicyPipeline): PolicyStages {
  return { name: policy.policy.name, stages: pipeline.stages };
}

function toProjectJob(job: ResolvedJob): ComposedJob {
  return { ...job, originalName: job.name, origin: { kind: 'project' } };
}

/** Per applied policy, the declared stages no earlier list had (inject_ci policies add none). */
function stagesFirstAddedBy(applied: readonly PolicyPipeline[], baseStages: readonly string[]): string[][] {
  const seen = new Set(baseStages);
  return applied.map(({ policy, pipeline }) => {
    if (policy.policy.strategy === 'inject_ci') return [];
    const added = unwrap(pipeline.stages).filter((stage) => !seen.has(stage));
    for (const stage of added) seen.add(stage);
    return added;
  });
}

/** Files read, main project file first; a file two policies include is listed once. */
function uniqueFiles(files: readonly IncludedFileRecord[]): IncludedFileRecord[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = `${file.kind}\u0000${file.location}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
