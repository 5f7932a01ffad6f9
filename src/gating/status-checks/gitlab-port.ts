/**
 * What the status-check service reads from and writes to GitLab, as the core sees it.
 * sources/gitlab/status-check-api.ts implements it over the REST API; tests reach it through
 * msw at the wire, never by replacing it.
 */
import type { BridgeFacts, StatusCheckStatus } from './facts.js';

export interface PipelineRecord {
  readonly id: number;
  readonly projectId: number;
  readonly sha: string;
  readonly ref: string;
  readonly status: string;
}

export interface MergeRequestRecord {
  /** `sha`: the source branch's head (GitLab's diff_head_sha). */
  readonly headSha: string;
  /** `head_pipeline`, GitLab's raw association (it may run an older commit). */
  readonly headPipeline: PipelineRecord | undefined;
}

export interface JobRecord {
  readonly id: number;
  readonly name: string;
  readonly status: string;
}

export interface StatusCheckAnswer {
  readonly sha: string;
  readonly externalStatusCheckId: number;
  readonly status: StatusCheckStatus;
}

/** `accepted`; `stale` (409: the SHA is no longer the head); `rejected` (400, e.g. `pending` before GitLab 16.5). */
export type AnswerOutcome = 'accepted' | 'stale' | 'rejected';

export interface StatusCheckGitlab {
  /** undefined on 404. */
  mergeRequest(projectId: number, iid: number): Promise<MergeRequestRecord | undefined>;
  /** The id of GitLab's head pipeline for the merge request's current head commit (its SHA or source SHA), if any. */
  confirmedHeadPipelineId(projectPath: string, iid: number): Promise<number | undefined>;
  bridges(projectId: number, pipelineId: number): Promise<BridgeFacts[]>;
  /** Latest attempt of each job (retried ones left out, GitLab's default). */
  jobs(projectId: number, pipelineId: number): Promise<JobRecord[]>;
  /** A JSON artifact file of a job; undefined when the job has no such file. */
  artifactJson(projectId: number, jobId: number, path: string): Promise<unknown>;
  answer(projectId: number, iid: number, answer: StatusCheckAnswer): Promise<AnswerOutcome>;
  /** Cheap authenticated read, for readiness. */
  ping(): Promise<void>;
}
