/**
 * The verifier's GitLab side (issue 13): reads a pipeline's records with the verifier's own
 * token (docs "api/pipelines", "api/jobs", "api/projects", "api/commits", "api/merge_requests")
 * and writes the verdict: commit status, merge request note, external status check answer.
 * Every response is checked by a shape where it enters.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, projectPath } from '../../http/gitlab-paths.js';
import type { VerifyRecordsReader } from '../../verify/records-port.js';
import type { JobRecord, PipelineRecord } from '../../verify/records.js';
import type { VerdictPublisher } from '../../verify/publish-port.js';
import { boolean, checkResponse, integer, list, nullable, object, optional, string } from './response-shape.js';

// ci_config_path is left out when the token cannot read the code (lib/api/entities/project.rb).
const projectShape = object({ id: integer, path_with_namespace: string, default_branch: optional(nullable(string)), ci_config_path: optional(nullable(string)) });
const pipelineShape = object({
  id: integer,
  iid: integer,
  project_id: integer,
  sha: string,
  before_sha: optional(nullable(string)),
  ref: string,
  tag: optional(boolean),
  source: optional(string),
  status: string,
  user: optional(nullable(object({ id: integer }))),
});
const jobShape = object({
  id: integer,
  name: string,
  stage: string,
  status: string,
  allow_failure: optional(boolean),
  started_at: optional(nullable(string)),
  finished_at: optional(nullable(string)),
});
const bridgeShape = object({
  name: string,
  status: string,
  downstream_pipeline: optional(nullable(object({ id: integer, project_id: integer, sha: string, status: string }))),
});
const commitShape = object({ message: string });
const mergeRequestShape = object({ iid: integer, source_branch: string, target_branch: string, sha: optional(nullable(string)), state: optional(string) });
const noteShape = object({ id: integer, body: string, system: optional(boolean) });
const statusCheckShape = object({ id: integer, name: string });
const pipelineOriginShape = object({
  data: optional(
    nullable(object({ project: nullable(object({ pipeline: nullable(object({ configSource: optional(nullable(string)), commit: optional(nullable(object({ message: optional(nullable(string)) }))) })) })) })),
  ),
});

// Pipeline.commit is the commit of the pipeline's own sha (app/graphql/types/ci/pipeline_type.rb);
// asking for its message here saves the REST commit request per verification.
const PIPELINE_ORIGIN_QUERY = 'query VerifyPipelineOrigin($fullPath: ID!, $iid: ID!) { project(fullPath: $fullPath) { pipeline(iid: $iid) { configSource commit { message } } } }';

export function createVerifyApi(client: HttpClient): VerifyRecordsReader & VerdictPublisher {
  const pipelinePath = (projectId: number, pipelineId: number): string => `${projectPath(projectId)}/pipelines/${encodePathSegment(pipelineId)}`;
  const mergeRequestPath = (projectId: number, iid: number): string => `${projectPath(projectId)}/merge_requests/${encodePathSegment(iid)}`;

  async function all(path: string, query?: Record<string, string>): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of client.paginate(path, query === undefined ? {} : { query })) items.push(item);
    return items;
  }

  return {
    async project(project) {
      const response = await client.request('GET', projectPath(project), { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      const body = checkResponse(projectShape, response.json(), 'GET /projects/:id');
      if (body.ci_config_path === undefined) {
        throw new SourceError('verify-config-path-hidden', `project ${body.path_with_namespace}: the token cannot see its CI/CD configuration file setting`, {
          hint: 'Give the verifier token at least the Reporter role on the project (it must read code and pipelines).',
        });
      }
      return { id: body.id, path: body.path_with_namespace, defaultBranch: body.default_branch ?? 'main', ciConfigPath: body.ci_config_path ?? '' };
    },
    async pipeline(projectId, pipelineId) {
      const response = await client.request('GET', pipelinePath(projectId, pipelineId), { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      return pipelineOf(checkResponse(pipelineShape, response.json(), 'GET /projects/:id/pipelines/:pipeline_id'));
    },
    async commitMessage(projectId, sha) {
      const response = await client.request('GET', `${projectPath(projectId)}/repository/commits/${encodePathSegment(sha)}`);
      return checkResponse(commitShape, response.json(), 'GET /projects/:id/repository/commits/:sha').message;
    },
    async pipelineOrigin(projectPathWithNamespace, iid) {
      // `/api/graphql` beside `/api/v4`, as in status-check-api.ts.
      const response = await client.request('POST', '../graphql', { json: { query: PIPELINE_ORIGIN_QUERY, variables: { fullPath: projectPathWithNamespace, iid: String(iid) } }, idempotent: true });
      const pipeline = checkResponse(pipelineOriginShape, response.json(), 'POST /api/graphql').data?.project?.pipeline;
      return { configSource: pipeline?.configSource ?? undefined, commitMessage: pipeline?.commit?.message ?? undefined };
    },
    async mergeRequest(projectId, iid) {
      const response = await client.request('GET', mergeRequestPath(projectId, iid), { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      const body = checkResponse(mergeRequestShape, response.json(), 'GET /projects/:id/merge_requests/:iid');
      return { iid: body.iid, sourceBranch: body.source_branch, targetBranch: body.target_branch };
    },
    async jobs(projectId, pipelineId) {
      const items = checkResponse(list(jobShape), await all(`${pipelinePath(projectId, pipelineId)}/jobs`), 'GET /projects/:id/pipelines/:pipeline_id/jobs');
      return items.map(jobOf);
    },
    async bridges(projectId, pipelineId) {
      const items = checkResponse(list(bridgeShape), await all(`${pipelinePath(projectId, pipelineId)}/bridges`), 'GET /projects/:id/pipelines/:pipeline_id/bridges');
      return items.map((bridge) => {
        const child = bridge.downstream_pipeline ?? null;
        return { name: bridge.name, status: bridge.status, downstream: child === null ? undefined : { id: child.id, projectId: child.project_id, sha: child.sha, status: child.status } };
      });
    },
    async artifactJson(projectId, jobId, path) {
      const file = path.split('/').map(encodePathSegment).join('/');
      const response = await client.request('GET', `${projectPath(projectId)}/jobs/${encodePathSegment(jobId)}/artifacts/${file}`, { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      try {
        return response.json();
      } catch {
        // An artifact that is not JSON is a report that cannot be read: the check says so.
        return undefined;
      }
    },
    async pipelinesForSha(projectId, sha) {
      // One page, newest first: the newest pipeline is all the verdict needs.
      const response = await client.request('GET', `${projectPath(projectId)}/pipelines`, { query: { sha, order_by: 'id', sort: 'desc', per_page: 20 } });
      const items = checkResponse(list(pipelineShape), response.json(), 'GET /projects/:id/pipelines');
      return items.map(pipelineOf).filter((pipeline) => pipeline.source !== 'parent_pipeline');
    },
    async commitStatus(projectId, sha, update) {
      const response = await client.request('POST', `${projectPath(projectId)}/statuses/${encodePathSegment(sha)}`, {
        json: {
          state: update.state,
          name: update.name,
          description: update.description.slice(0, 255),
          ...(update.pipelineId === undefined ? {} : { pipeline_id: update.pipelineId }),
          ...(update.ref === undefined ? {} : { ref: update.ref }),
        },
        // Posting the same state again changes nothing (GitLab refuses it with 400), so it may be retried.
        idempotent: true,
        acceptStatuses: [400],
      });
      if (response.status === 400) {
        // spec/requests/api/commit_statuses_spec.rb: "Cannot transition status via :run from :running".
        if (/Cannot transition status/.test(response.text())) return 'unchanged';
        throw new SourceError('verify-status-refused', `GitLab refused the commit status on ${sha.slice(0, 8)}: ${response.text().slice(0, 200)}`, {
          hint: 'The verifier token needs the Developer role on the project (scope api).',
        });
      }
      return 'set';
    },
    async openMergeRequestsFor(projectId, sha) {
      const items = checkResponse(list(mergeRequestShape), await all(`${projectPath(projectId)}/repository/commits/${encodePathSegment(sha)}/merge_requests`), 'GET /projects/:id/repository/commits/:sha/merge_requests');
      return items.filter((item) => (item.state ?? 'opened') === 'opened' && item.sha === sha).map((item) => ({ iid: item.iid, headSha: sha }));
    },
    async upsertNote(projectId, iid, marker, body, create) {
      const notes = checkResponse(list(noteShape), await all(`${mergeRequestPath(projectId, iid)}/notes`, { sort: 'asc', order_by: 'created_at' }), 'GET /projects/:id/merge_requests/:iid/notes');
      const ours = notes.find((note) => note.system !== true && note.body.startsWith(marker));
      if (ours !== undefined) {
        if (ours.body === body) return 'unchanged';
        const response = await client.request('PUT', `${mergeRequestPath(projectId, iid)}/notes/${encodePathSegment(ours.id)}`, { json: { body }, idempotent: true, acceptStatuses: [403] });
        // 403: someone else wrote a note starting with the marker; ours is written beside it.
        if (response.status !== 403) return 'edited';
      }
      if (!create) return 'absent';
      await client.request('POST', `${mergeRequestPath(projectId, iid)}/notes`, { json: { body } });
      return 'created';
    },
    async statusCheckIds(projectId, iid, name) {
      // Free and Premium have no external status checks: 403/404 mean none.
      const response = await client.request('GET', `${mergeRequestPath(projectId, iid)}/status_checks`, { acceptStatuses: [403, 404] });
      if (response.status !== 200) return [];
      return checkResponse(list(statusCheckShape), response.json(), 'GET /projects/:id/merge_requests/:iid/status_checks')
        .filter((item) => item.name === name)
        .map((item) => item.id);
    },
    async answerStatusCheck(projectId, iid, sha, checkId, status) {
      await client.request('POST', `${mergeRequestPath(projectId, iid)}/status_check_responses`, {
        json: { sha, external_status_check_id: checkId, status },
        idempotent: true,
        // 409: the SHA is no longer the head; the next head gets its own verdict.
        acceptStatuses: [409],
      });
    },
  };
}

function pipelineOf(body: {
  id: number;
  iid: number;
  project_id: number;
  sha: string;
  before_sha?: string | null | undefined;
  ref: string;
  tag?: boolean | undefined;
  source?: string | undefined;
  status: string;
  user?: { id: number } | null | undefined;
}): PipelineRecord {
  const before = body.before_sha ?? undefined;
  return {
    id: body.id,
    iid: body.iid,
    projectId: body.project_id,
    sha: body.sha,
    // GitLab writes forty zeros when there is no previous commit.
    beforeSha: before === undefined || /^0+$/.test(before) ? undefined : before,
    ref: body.ref,
    tag: body.tag ?? false,
    source: body.source ?? 'unknown',
    status: body.status,
    userId: body.user?.id ?? undefined,
  };
}

function jobOf(job: { id: number; name: string; stage: string; status: string; allow_failure?: boolean | undefined; started_at?: string | null | undefined; finished_at?: string | null | undefined }): JobRecord {
  return { id: job.id, name: job.name, stage: job.stage, status: job.status, allowFailure: job.allow_failure ?? false, startedAt: job.started_at ?? null, finishedAt: job.finished_at ?? null };
}
