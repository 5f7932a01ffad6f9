/**
 * The composed pipeline: the project's resolved jobs and every applicable pipeline execution
 * policy's resolved jobs in one pipeline, each job knowing where it came from. Built by
 * compose/pep (merge), made safe by compose/enforce, written by emit/.
 */
import type { ResolvedJob, ResolvedPipeline } from '../ci/pipeline.js';
import type { LoadedPolicy, PipelineConfigStrategy, PipelineExecutionPolicy, PolicyDecision } from '../policies/types.js';

export type PepPolicy = LoadedPolicy<PipelineExecutionPolicy>;

/** A job a scan execution policy action generated from a scan template (compose/sep). */
export interface ScanJobOrigin {
  readonly kind: 'scan-policy';
  readonly policy: LoadedPolicy;
  /** The action's scan type (`secret_detection`, `sast`...). */
  readonly scan: string;
  /** The `<index>` of the job name: its action's place among non-DAST (or DAST) actions. */
  readonly index: number;
  /** Scan template file the job came from (`secret_detection.yml`), or undefined for an error job. */
  readonly template: string | undefined;
  /** Names of the variables enforced on the job: the action's variables and the scan defaults. */
  readonly enforced: readonly string[];
}

export type JobOrigin =
  | { readonly kind: 'project' }
  | { readonly kind: 'policy'; readonly policy: PepPolicy }
  | ScanJobOrigin;

export interface ComposedJob extends ResolvedJob {
  /** The job's name in its own configuration, before any `:policy-<id>-<index>` suffix. */
  readonly originalName: string;
  readonly origin: JobOrigin;
}

/** One applicable policy's own pipeline, resolved in isolation with the project's context. */
export interface PolicyPipeline {
  readonly policy: PepPolicy;
  readonly pipeline: ResolvedPipeline;
}

/** A policy job that GitLab drops without a message, recorded so the report can say it. */
export interface DroppedPolicyJob {
  readonly name: string;
  readonly policy: PepPolicy;
  /** The stage the job asked for, which the merged pipeline does not declare. */
  readonly stage: string;
  readonly reason: string;
}

/** What happened to one applicable policy's jobs in the merge, for the report and `explain`. */
export interface PolicyMergeOutcome {
  readonly policy: PepPolicy;
  readonly strategy: PipelineConfigStrategy;
  /** False when its pipeline was empty (GitLab skips it silently). */
  readonly merged: boolean;
  /** One sentence: why its jobs did or did not land. */
  readonly reason: string;
  /** Final names of its jobs in the composed pipeline, in merge order. */
  readonly jobs: readonly string[];
  /** Jobs suffixed on a name conflict (`suffix: on_conflict`). */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  /** Stages that first came into the pipeline with this policy (inject_policy, override_project_ci). */
  readonly addedStages: readonly string[];
  /** `needs` entries removed because they named one of its own jobs that was dropped. */
  readonly droppedNeeds: readonly { readonly job: string; readonly need: string }[];
  /** Its jobs that its own rules left out. */
  readonly excluded: ResolvedPipeline['excluded'];
}

export interface ComposedPipeline {
  readonly created: boolean;
  readonly reason: string;
  readonly name: string | undefined;
  /** Merged stage order, wrapped as `.pipeline-policy-pre, .pre, …, .post, .pipeline-policy-post`. */
  readonly stages: readonly string[];
  /** Project jobs first, then policy jobs in merge order. */
  readonly jobs: readonly ComposedJob[];
  readonly excluded: ResolvedPipeline['excluded'];
  readonly droppedPolicyJobs: readonly DroppedPolicyJob[];
  /** One entry per applicable policy, in merge order. */
  readonly policyMerges: readonly PolicyMergeOutcome[];
  readonly files: ResolvedPipeline['files'];
}

export interface CompositionResult {
  readonly pipeline: ComposedPipeline;
  readonly decisions: readonly PolicyDecision[];
}
