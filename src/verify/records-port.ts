/**
 * What the verifier reads, as the core sees it. sources/gitlab/verify-api.ts answers it from the
 * REST API; sources/workspace/recorded-pipeline.ts from a folder of recorded API answers.
 */
import type { BridgeRecord, JobRecord, MergeRequestRecord, PipelineRecord, ProjectRecord } from './records.js';

export interface PipelineOrigin {
  readonly configSource: string | undefined;
  readonly commitMessage: string | undefined;
}

export interface VerifyRecordsReader {
  /** By numeric id or full path; undefined on 404. */
  project(project: string | number): Promise<ProjectRecord | undefined>;
  /** undefined on 404. */
  pipeline(projectId: number, pipelineId: number): Promise<PipelineRecord | undefined>;
  commitMessage(projectId: number, sha: string): Promise<string>;
  /**
   * One GraphQL read of the pipeline `iid`: `Pipeline.configSource` (undefined when GitLab gives
   * none) and `Pipeline.commit.message` (undefined when GitLab gives no commit, e.g. the token
   * cannot read code: the caller then reads it with `commitMessage`).
   */
  pipelineOrigin(projectPath: string, iid: number): Promise<PipelineOrigin>;
  mergeRequest(projectId: number, iid: number): Promise<MergeRequestRecord | undefined>;
  /** Latest attempt of each job (GitLab's default: retried ones left out). */
  jobs(projectId: number, pipelineId: number): Promise<JobRecord[]>;
  bridges(projectId: number, pipelineId: number): Promise<BridgeRecord[]>;
  /** A JSON artifact file of a job; undefined when the job has none. */
  artifactJson(projectId: number, jobId: number, path: string): Promise<unknown>;
  /** The newest pipelines that ran `sha` (child pipelines left out), newest first. */
  pipelinesForSha(projectId: number, sha: string): Promise<PipelineRecord[]>;
}
