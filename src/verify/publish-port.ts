/**
 * Where a verdict goes (issue 13 "Where the verdict goes"), as the core sees it:
 * sources/gitlab/verify-api.ts writes it through the REST API; the policy store, when configured,
 * records it through VerdictRecorder.
 */
import type { Verdict } from './verdict.js';

export type CommitState = 'success' | 'failed' | 'pending';

export interface CommitStatusUpdate {
  readonly state: CommitState;
  /** `policy-sidecar/verified`. */
  readonly name: string;
  /** At most 255 characters (GitLab's column). */
  readonly description: string;
  /** The pipeline the status joins, so "Pipelines must succeed" sees it; none for a commit without one. */
  readonly pipelineId: number | undefined;
  readonly ref: string | undefined;
}

export interface OpenMergeRequestHead {
  readonly iid: number;
  readonly headSha: string;
}

export interface VerdictPublisher {
  /** `unchanged` when GitLab already holds that state (its 400 "Cannot transition status"). */
  commitStatus(projectId: number, sha: string, update: CommitStatusUpdate): Promise<'set' | 'unchanged'>;
  /** Open merge requests whose head commit is `sha`. */
  openMergeRequestsFor(projectId: number, sha: string): Promise<OpenMergeRequestHead[]>;
  /** Edits our note carrying `marker`, or creates it when `create` (failures only create). */
  upsertNote(projectId: number, iid: number, marker: string, body: string, create: boolean): Promise<'created' | 'edited' | 'unchanged' | 'absent'>;
  /** Ids of the merge request's external status checks named `name`; empty where the tier has none. */
  statusCheckIds(projectId: number, iid: number, name: string): Promise<number[]>;
  answerStatusCheck(projectId: number, iid: number, sha: string, checkId: number, status: 'passed' | 'failed' | 'pending'): Promise<void>;
}

/** Where the policy store (issue 15) records each verdict; none configured: nothing recorded. */
export interface VerdictRecorder {
  record(verdict: Verdict, verifiedAt: string): Promise<void>;
}
