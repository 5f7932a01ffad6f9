/**
 * The composed pipeline: the project's resolved jobs and every applicable pipeline execution
 * policy's resolved jobs in one pipeline, each job knowing where it came from. Built by
 * compose/pep (merge), made safe by compose/enforce, written by emit/.
 */
import type { ResolvedJob, ResolvedPipeline } from '../ci/pipeline.js';
import type { LoadedPolicy, PipelineExecutionPolicy, PolicyDecision } from '../policies/types.js';

export type PepPolicy = LoadedPolicy<PipelineExecutionPolicy>;

export type JobOrigin =
  | { readonly kind: 'project' }
  | { readonly kind: 'policy'; readonly policy: PepPolicy };

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
  readonly reason: string;
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
  readonly files: ResolvedPipeline['files'];
}

export interface CompositionResult {
  readonly pipeline: ComposedPipeline;
  readonly decisions: readonly PolicyDecision[];
}
