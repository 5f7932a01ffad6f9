/**
 * What the verifier reads, as the core sees it. sources/gitlab/verify-api.ts answers it from
 * GitLab (one GraphQL query per job list page, REST where GraphQL has no equivalent);
 * sources/workspace/recorded-api.ts from a folder of recorded API answers.
 */
import type { BridgeRecord, JobRecord, MergeRequestRecord, PipelineRecord, ProjectRecord } from './records.js';

/** Everything GitLab recorded about one pipeline that its job list pages carry. */
export interface PipelineRead {
  readonly pipeline: PipelineRecord;
  /** `Pipeline.configSource`; undefined when GitLab gives none. */
  readonly configSource: string | undefined;
  /** The head commit's message; undefined when GitLab gives no commit (a token that cannot read code). */
  readonly commitMessage: string | undefined;
  /** The pipeline's merge request; undefined when it has none or GitLab does not show it. */
  readonly mergeRequest: MergeRequestRecord | undefined;
  /** Latest attempt of each job (retried ones left out), builds only: no bridges, no external commit statuses. */
  readonly jobs: readonly JobRecord[];
  readonly bridges: readonly BridgeRecord[];
  /** Jobs of the pipeline each bridge named in `follow` created, by bridge name. */
  readonly childJobs: Readonly<Record<string, readonly JobRecord[]>>;
}

/** Which pipeline to read: by its id, or the newest one GitLab lists for a commit (child pipelines left out). */
export type PipelineSelector = { readonly id: number } | { readonly newestForSha: string };

export interface VerifyRecordsReader {
  /** By numeric id or full path; undefined on 404. */
  project(project: string | number): Promise<ProjectRecord | undefined>;
  /**
   * One pipeline with its jobs, bridges and the jobs of the child pipelines the bridges named in
   * `follow` created; undefined when GitLab has no such pipeline.
   */
  pipelineRead(project: ProjectRecord, which: PipelineSelector, follow: readonly string[]): Promise<PipelineRead | undefined>;
  commitMessage(projectId: number, sha: string): Promise<string>;
  mergeRequest(projectId: number, iid: number): Promise<MergeRequestRecord | undefined>;
  /** A JSON artifact file of a job; undefined when the job has none. */
  artifactJson(projectId: number, jobId: number, path: string): Promise<unknown>;
}
