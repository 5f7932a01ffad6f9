/**
 * What the status-check decision looks at: the merge request's head commit and what GitLab knows
 * about the pipelines that ran it, gathered by the service (sources/gitlab/status-check-api.ts)
 * and judged by decide.ts. Statuses are GitLab's CI status strings (docs "api/jobs",
 * "api/pipelines": created, waiting_for_resource, preparing, pending, running, success, failed,
 * canceled, canceling, skipped, manual, scheduled).
 */

export interface PipelineFacts {
  readonly id: number;
  readonly projectId: number;
  readonly sha: string;
  readonly ref: string;
  readonly status: string;
  /**
   * GitLab confirmed that this pipeline runs the head commit although its SHA differs: a merged
   * results or merge train pipeline, whose SHA is the generated merge commit (see
   * status-check-api.ts, GraphQL `MergeRequest.headPipeline`).
   */
  readonly runsHeadCommit: boolean;
}

export interface ChildPipelineFacts {
  readonly id: number;
  readonly projectId: number;
  readonly sha: string;
  readonly status: string;
}

/** The trigger job that starts the composed child pipeline (`policy:pipeline`). */
export interface BridgeFacts {
  readonly name: string;
  readonly status: string;
  /** Its downstream pipeline; undefined until the bridge has created it. */
  readonly child: ChildPipelineFacts | undefined;
}

export interface JobFacts {
  readonly name: string;
  readonly status: string;
}

/** The jobs that must pass: from configuration, or from the composed report's policy jobs. */
export type RequiredJobs =
  | {
      readonly kind: 'known';
      readonly names: readonly string[];
      readonly from: 'configuration' | 'report';
      /**
       * Scan execution policies the report says applied with no job in the pipeline ("applied, no
       * jobs"), each with the rules that dropped its jobs: not satisfied (decide.ts).
       */
      readonly scansWithoutJobs?: readonly string[];
    }
  | {
      readonly kind: 'unknown';
      /** For people: why the list could not be read. */
      readonly why: string;
      /** The compose job has not finished yet: its report may still come. */
      readonly stillComposing: boolean;
    };

export interface StatusCheckFacts {
  readonly headSha: string;
  readonly headCommitMessage: string;
  /** The merge request's head pipeline; undefined when it has none. */
  readonly pipeline: PipelineFacts | undefined;
  /** The compose bridge in that pipeline; undefined when the pipeline has none (or was not read). */
  readonly bridge: BridgeFacts | undefined;
  /** Read only once the child pipeline exists. */
  readonly requiredJobs: RequiredJobs | undefined;
  /** The child pipeline's jobs (latest attempt of each), read only once it exists. */
  readonly childJobs: readonly JobFacts[] | undefined;
}

export type StatusCheckStatus = 'passed' | 'failed' | 'pending';

export type VerdictReason =
  | 'policy-jobs-passed'
  | 'no-policy-jobs'
  | 'skip-ci'
  | 'waiting-for-pipeline'
  | 'pipeline-running'
  | 'child-pipeline-missing'
  | 'child-pipeline-not-created'
  | 'child-pipeline-not-for-head'
  | 'required-jobs-unknown'
  | 'job-failed'
  | 'job-missing'
  | 'job-not-run'
  | 'scan-without-jobs'
  | 'timed-out'
  | 'evaluation-error';

export interface RequiredJobOutcome {
  readonly name: string;
  /** GitLab's status, or `missing` when the child pipeline has no such job. */
  readonly status: string;
}

export interface Verdict {
  readonly status: StatusCheckStatus;
  readonly reason: VerdictReason;
  /** One sentence for people (logs, docs/status-checks.md). */
  readonly detail: string;
  readonly jobs: readonly RequiredJobOutcome[];
}
