/**
 * What GitLab recorded about one pipeline, as `verify` reads it with its own token (never from
 * the pipeline's variables or artifacts alone): the project's settings, the pipeline, its head
 * commit, the parent's jobs and bridges, the jobs of the child pipelines those bridges created,
 * and the compose job's report. Statuses are GitLab's CI status strings (docs "api/jobs").
 */

export interface ProjectRecord {
  readonly id: number;
  readonly path: string;
  readonly defaultBranch: string;
  /** The "CI/CD configuration file" setting; empty when the project uses its own `.gitlab-ci.yml`. */
  readonly ciConfigPath: string;
}

export interface PipelineRecord {
  readonly id: number;
  /** The pipeline's number within its project (GraphQL looks pipelines up by it). */
  readonly iid: number;
  readonly projectId: number;
  readonly sha: string;
  readonly beforeSha: string | undefined;
  /** A branch, a tag, or `refs/merge-requests/<iid>/head|merge|train`. */
  readonly ref: string;
  readonly tag: boolean;
  /** CI_PIPELINE_SOURCE: push, merge_request_event, schedule, web, api, trigger, parent_pipeline... */
  readonly source: string;
  readonly status: string;
  /** The user who ran it (GITLAB_USER_ID), for skip_ci allowlists. */
  readonly userId: number | undefined;
}

export interface JobRecord {
  readonly id: number;
  readonly name: string;
  readonly stage: string;
  readonly status: string;
  readonly allowFailure: boolean;
  /** ISO 8601 times; null until the job started or finished. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface BridgeRecord {
  readonly name: string;
  readonly status: string;
  /** The pipeline it created; undefined until (or unless) it did. */
  readonly downstream: { readonly id: number; readonly projectId: number; readonly sha: string; readonly status: string } | undefined;
}

/** A merge request pipeline's merge request, for its target branch. */
export interface MergeRequestRecord {
  readonly iid: number;
  readonly sourceBranch: string;
  readonly targetBranch: string;
}

export interface PipelineRecords {
  readonly project: ProjectRecord;
  readonly pipeline: PipelineRecord;
  readonly commitMessage: string;
  readonly mergeRequest: MergeRequestRecord | undefined;
  /** The parent pipeline's jobs (latest attempt of each). */
  /**
   * Where GitLab read the pipeline's configuration from, as recorded when it was created
   * (GraphQL `Pipeline.configSource`: REPOSITORY_SOURCE, EXTERNAL_PROJECT_SOURCE, REMOTE_SOURCE...);
   * undefined when GitLab did not say.
   */
  readonly configSource: string | undefined;
  readonly jobs: readonly JobRecord[];
  readonly bridges: readonly BridgeRecord[];
  /** Jobs of each child pipeline the bridges created, by bridge name. */
  readonly childJobs: Readonly<Record<string, readonly JobRecord[]>>;
  /** The compose job's `policy-report.json`; undefined when there is none to read. */
  readonly composeReport: unknown;
}

/** GitLab statuses of a job or pipeline that has not finished (docs "api/jobs"). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled', 'canceling']);
