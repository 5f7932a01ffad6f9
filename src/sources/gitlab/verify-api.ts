/**
 * The verifier's GitLab side (issue 13): reads a pipeline's records with the verifier's own
 * token (the pipeline, its jobs and child pipelines in one GraphQL query per job list page,
 * verify-pipeline-query.ts; over REST the project, the compose report artifact, and a commit or
 * merge request only when GraphQL did not give it: docs "api/projects", "api/job_artifacts",
 * "api/commits", "api/merge_requests") and writes the verdict: commit status, merge request
 * note, external status check answer.
 * Every response is checked by a shape where it enters.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, projectPath } from '../../http/gitlab-paths.js';
import type { VerifyRecordsReader } from '../../verify/records-port.js';
import type { VerdictPublisher } from '../../verify/publish-port.js';
import { boolean, checkResponse, integer, list, nullable, object, optional, string } from './response-shape.js';
import { readPipeline } from './verify-pipeline-query.js';

// ci_config_path is left out when the token cannot read the code (lib/api/entities/project.rb).
const projectShape = object({ id: integer, path_with_namespace: string, default_branch: optional(nullable(string)), ci_config_path: optional(nullable(string)) });
const commitShape = object({ message: string });
const mergeRequestShape = object({ iid: integer, source_branch: string, target_branch: string, sha: optional(nullable(string)), state: optional(string) });
const noteShape = object({ id: integer, body: string, system: optional(boolean) });
const statusCheckShape = object({ id: integer, name: string });

export function createVerifyApi(client: HttpClient): VerifyRecordsReader & VerdictPublisher {
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
    pipelineRead(project, which, follow) {
      return readPipeline(client, project, which, follow);
    },
    async commitMessage(projectId, sha) {
      const response = await client.request('GET', `${projectPath(projectId)}/repository/commits/${encodePathSegment(sha)}`);
      return checkResponse(commitShape, response.json(), 'GET /projects/:id/repository/commits/:sha').message;
    },
    async mergeRequest(projectId, iid) {
      const response = await client.request('GET', mergeRequestPath(projectId, iid), { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      const body = checkResponse(mergeRequestShape, response.json(), 'GET /projects/:id/merge_requests/:iid');
      return { iid: body.iid, sourceBranch: body.source_branch, targetBranch: body.target_branch };
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
