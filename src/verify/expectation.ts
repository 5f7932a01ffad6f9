/**
 * What the recomputed composition says must be in the pipeline: the policy and scan jobs by their
 * final names (suffixes included), which child pipeline each runs in, whether it may fail, and
 * which are pre and post jobs; and the policy versions. Read from the report `compose` would have
 * written for this pipeline (src/emit/report.ts), recomputed by the caller from GitLab.
 */
import type { PipelineReport, ReportJob } from '../emit/report.js';

export type JobPhase = 'pre' | 'post' | 'other';

export interface ExpectedJob {
  readonly name: string;
  readonly originalName: string;
  /** `pre`: the pre pipeline (`policy:pre`); `main`: the composed pipeline (`policy:pipeline`). */
  readonly pipeline: 'pre' | 'main';
  readonly origin: ReportJob['origin'];
  readonly phase: JobPhase;
  readonly allowFailure: boolean;
  /** `manual` when the policy's own rules make it a manual job. */
  readonly when: string;
  readonly policy: string | null;
}

export interface ExpectedPolicy {
  readonly name: string;
  readonly policyProject: string;
  readonly index: number;
  readonly type: string;
  readonly digest: string | undefined;
}

export interface Expectation {
  readonly jobs: readonly ExpectedJob[];
  /** Policies that applied to this pipeline. */
  readonly policies: readonly ExpectedPolicy[];
}

/** The reserved stages of pipeline execution policies (docs "pipeline_execution_policies", stages). */
const PRE_STAGE = '.pipeline-policy-pre';
const POST_STAGE = '.pipeline-policy-post';

export function expectationOf(report: PipelineReport): Expectation {
  return {
    jobs: report.jobs.map((job) => ({
      name: job.name,
      originalName: job.originalName,
      pipeline: job.pipeline ?? 'main',
      origin: job.origin,
      phase: job.declaredStage === PRE_STAGE ? 'pre' : job.declaredStage === POST_STAGE ? 'post' : 'other',
      allowFailure: job.allowFailure ?? false,
      when: job.when,
      policy: job.policy,
    })),
    policies: report.policies
      .filter((policy) => policy.applied)
      .map((policy) => ({ name: policy.name, policyProject: policy.policyProject, index: policy.index, type: policy.type, digest: policy.digest })),
  };
}

/** Jobs a policy put there: pipeline execution policy jobs and scan execution policy jobs. */
export function isRequired(job: ExpectedJob): boolean {
  return job.origin === 'policy' || job.origin === 'scan-policy';
}
