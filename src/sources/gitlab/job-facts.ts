/**
 * A CI job's facts as GitLab recorded them (SPEC §2 "Trust"): the one place that learns which
 * project, pipeline, source, ref and commit a job belongs to. Project and pipeline variables
 * override predefined CI_* variables in a job's environment, so these facts come from the API:
 *
 * - `GET /job` with `JOB-TOKEN: <CI_JOB_TOKEN>` (lib/api/ci/jobs.rb "Get current job using job
 *   token", presented with Entities::Ci::Job): `ref`, `tag`, `pipeline.{id, project_id, sha, ref,
 *   source}` (Entities::Ci::PipelineBasic). A merge request pipeline's ref is
 *   `refs/merge-requests/<iid>/head` (`/merge` for merged results, `/train` for merge trains).
 * - `GET /projects/:id` (the pipeline's project_id) for the project's full path.
 * - `GET /projects/:id/merge_requests/:iid` for a merge request pipeline's branches.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment } from '../../http/gitlab-paths.js';
import { boolean, checkResponse, integer, object, string } from './response-shape.js';

export interface JobFacts {
  readonly jobId: number;
  readonly projectId: number;
  readonly projectPath: string;
  readonly pipelineId: number;
  /** GitLab's pipeline source: push, merge_request_event, schedule, web, api, trigger, pipeline, parent_pipeline... */
  readonly pipelineSource: string;
  readonly sha: string;
  /** The branch of a branch pipeline, the source branch of a merge request pipeline; undefined for a tag. */
  readonly branch: string | undefined;
  readonly tag: string | undefined;
  readonly mergeRequest: { readonly iid: number; readonly sourceBranch: string; readonly targetBranch: string } | undefined;
}

const jobShape = object({
  id: integer,
  ref: string,
  tag: boolean,
  pipeline: object({ id: integer, project_id: integer, sha: string, ref: string, source: string }),
});
const projectShape = object({ id: integer, path_with_namespace: string });
const mergeRequestShape = object({ iid: integer, source_branch: string, target_branch: string });

const MERGE_REQUEST_REF = /^refs\/merge-requests\/([1-9][0-9]*)\/(?:head|merge|train)$/;

/**
 * `jobClient` carries the JOB-TOKEN (and nothing else); `client` the sidecar's own credential,
 * which may read the project and its merge requests.
 */
export async function readJobFacts(jobClient: HttpClient, client: HttpClient): Promise<JobFacts> {
  const job = checkResponse(jobShape, (await jobClient.request('GET', '/job')).json(), 'GET /job');
  const projectId = job.pipeline.project_id;
  const mergeRequestIid = job.tag ? undefined : MERGE_REQUEST_REF.exec(job.ref)?.[1];
  if (!job.tag && mergeRequestIid === undefined && job.ref.startsWith('refs/')) {
    throw new SourceError('job-ref-unknown', `GET /job: the pipeline's ref ${job.ref} is neither a branch, a tag nor a merge request ref`, {
      hint: 'policy-sidecar composes branch, tag and merge request pipelines; report the GitLab version if this is one of them.',
    });
  }
  // The project and the merge request both need only GET /job's answer: one round, not two.
  const [projectAnswer, mergeRequestAnswer] = await Promise.all([
    client.request('GET', `/projects/${encodePathSegment(projectId)}`),
    mergeRequestIid === undefined ? undefined : client.request('GET', `/projects/${encodePathSegment(projectId)}/merge_requests/${encodePathSegment(mergeRequestIid)}`),
  ]);
  const project = checkResponse(projectShape, projectAnswer.json(), 'GET /projects/:id');
  const base = { jobId: job.id, projectId: project.id, projectPath: project.path_with_namespace, pipelineId: job.pipeline.id, pipelineSource: job.pipeline.source, sha: job.pipeline.sha };
  if (job.tag) return { ...base, branch: undefined, tag: job.ref, mergeRequest: undefined };
  if (mergeRequestAnswer === undefined) return { ...base, branch: job.ref, tag: undefined, mergeRequest: undefined };
  const mr = checkResponse(mergeRequestShape, mergeRequestAnswer.json(), 'GET /projects/:id/merge_requests/:iid');
  return {
    ...base,
    branch: mr.source_branch,
    tag: undefined,
    mergeRequest: { iid: mr.iid, sourceBranch: mr.source_branch, targetBranch: mr.target_branch },
  };
}
