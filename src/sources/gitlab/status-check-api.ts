/**
 * The GitLab side of the status-check service (gitlab-approvals-status-checks.md §4.3, §5),
 * through our HttpClient (retries, Retry-After, redaction) rather than gitbeaker, whose
 * `ExternalStatusChecks.set` sends `external_check_status_id` and types no `pending` (§5
 * "Gotchas"). Every response is checked by a shape where it enters.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, projectPath } from '../../http/gitlab-paths.js';
import type { AnswerOutcome, StatusCheckGitlab } from '../../gating/status-checks/gitlab-port.js';
import { checkResponse, integer, list, nullable, object, optional, string } from './response-shape.js';
import { createTriggerJobsReader } from './trigger-jobs.js';

/**
 * Before GitLab 15.0 the status-check response API took no usable `status`: any answer was
 * stored as passed (issue #11; reference gitlab-approvals-status-checks.md §5 "older versions
 * treated it as optional"). Answering `failed` there would pass the check, so it is refused.
 */
const FIRST_SUPPORTED = { major: 15, minor: 0 } as const;
const versionShape = object({ version: string });

const pipelineShape = object({ id: integer, project_id: integer, sha: string, ref: string, status: string });
// `head_pipeline` is left out when the token cannot read pipelines (lib/api/entities/merge_request.rb).
const mergeRequestShape = object({ sha: string, head_pipeline: optional(nullable(pipelineShape)) });
const bridgesShape = object({
  name: string,
  status: string,
  downstream_pipeline: nullable(object({ id: integer, project_id: integer, sha: string, status: string })),
});
const jobShape = object({ id: integer, name: string, status: string });
const headPipelineShape = object({
  data: optional(nullable(object({ project: nullable(object({ mergeRequest: nullable(object({ headPipeline: nullable(object({ id: string })) })) })) }))),
});

const HEAD_PIPELINE_QUERY =
  'query StatusCheckHeadPipeline($fullPath: ID!, $iid: String!) { project(fullPath: $fullPath) { mergeRequest(iid: $iid) { headPipeline { id } } } }';

export function createStatusCheckApi(client: HttpClient): StatusCheckGitlab {
  const mergeRequestPath = (projectId: number, iid: number): string => `${projectPath(projectId)}/merge_requests/${encodePathSegment(iid)}`;
  const pipelinePath = (projectId: number, pipelineId: number): string => `${projectPath(projectId)}/pipelines/${encodePathSegment(pipelineId)}`;

  const triggerJobs = createTriggerJobsReader(client);
  let supported: Promise<void> | undefined;
  /** Checked once before the first answer; a failed check is asked again next time. */
  const supportedVersion = (): Promise<void> =>
    (supported ??= checkVersion().catch((error: unknown) => {
      supported = undefined;
      throw error;
    }));

  async function checkVersion(): Promise<void> {
    const { version } = checkResponse(versionShape, (await client.request('GET', '/version')).json(), 'GET /version');
    const match = /^(\d+)\.(\d+)/.exec(version);
    const major = Number(match?.[1] ?? NaN);
    const minor = Number(match?.[2] ?? NaN);
    if (match === null || major < FIRST_SUPPORTED.major || (major === FIRST_SUPPORTED.major && minor < FIRST_SUPPORTED.minor)) {
      throw new SourceError('gitlab-version-unsupported', `GitLab ${version} stores a failed status-check answer as passed: status checks need GitLab ${FIRST_SUPPORTED.major}.${FIRST_SUPPORTED.minor} or later`, {
        hint: 'Upgrade GitLab, or gate merges with `evaluate` (merge request approval rules) instead of external status checks.',
      });
    }
  }

  async function all(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of client.paginate(path)) items.push(item);
    return items;
  }

  return {
    async mergeRequest(projectId, iid) {
      const response = await client.request('GET', mergeRequestPath(projectId, iid), { acceptStatuses: [404] });
      if (response.status === 404) return undefined;
      const mergeRequest = checkResponse(mergeRequestShape, response.json(), 'GET /projects/:id/merge_requests/:iid');
      if (mergeRequest.head_pipeline === undefined) {
        throw new SourceError('status-check-pipelines-hidden', `merge request !${iid} of project ${projectId}: the token cannot read its pipelines`, {
          hint: 'Give POLICY_SIDECAR_TOKEN at least the Developer role on the project (it must read pipelines and answer status checks).',
        });
      }
      const pipeline = mergeRequest.head_pipeline;
      return {
        headSha: mergeRequest.sha,
        headPipeline: pipeline === null ? undefined : { id: pipeline.id, projectId: pipeline.project_id, sha: pipeline.sha, ref: pipeline.ref, status: pipeline.status },
      };
    },
    async confirmedHeadPipelineId(projectPathWithNamespace, iid) {
      // `/api/graphql` beside `/api/v4`, as in gitlab-graphql.ts.
      const response = await client.request('POST', '../graphql', {
        json: { query: HEAD_PIPELINE_QUERY, variables: { fullPath: projectPathWithNamespace, iid: String(iid) } },
        idempotent: true,
      });
      const body = checkResponse(headPipelineShape, response.json(), 'POST /api/graphql');
      const id = body.data?.project?.mergeRequest?.headPipeline?.id;
      const match = id === undefined ? null : /^gid:\/\/gitlab\/Ci::Pipeline\/(\d+)$/.exec(id);
      return match?.[1] === undefined ? undefined : Number(match[1]);
    },
    async bridges(projectId, pipelineId) {
      const items = checkResponse(list(bridgesShape), await triggerJobs(pipelinePath(projectId, pipelineId)), 'GET /projects/:id/pipelines/:pipeline_id/trigger_jobs');
      return items.map((bridge) => {
        const child = bridge.downstream_pipeline;
        return {
          name: bridge.name,
          status: bridge.status,
          child: child === null ? undefined : { id: child.id, projectId: child.project_id, sha: child.sha, status: child.status },
        };
      });
    },
    async jobs(projectId, pipelineId) {
      return checkResponse(list(jobShape), await all(`${pipelinePath(projectId, pipelineId)}/jobs`), 'GET /projects/:id/pipelines/:pipeline_id/jobs');
    },
    async artifactJson(projectId, jobId, path) {
      // The artifact path is a wildcard route: its slashes stay, each segment is encoded.
      const file = path.split('/').map(encodePathSegment).join('/');
      const response = await client.request('GET', `${projectPath(projectId)}/jobs/${encodePathSegment(jobId)}/artifacts/${file}`, { acceptStatuses: [404] });
      return response.status === 404 ? undefined : response.json();
    },
    async answer(projectId, iid, answer): Promise<AnswerOutcome> {
      await supportedVersion();
      const response = await client.request('POST', `${mergeRequestPath(projectId, iid)}/status_check_responses`, {
        json: { sha: answer.sha, external_status_check_id: answer.externalStatusCheckId, status: answer.status },
        // A second row for the same SHA and status changes nothing (the latest row counts), so 5xx may be retried.
        idempotent: true,
        // 409: `sha` is no longer the head (check_sha_param!); 400: e.g. `pending` before GitLab 16.5.
        acceptStatuses: [400, 409],
      });
      return response.status === 409 ? 'stale' : response.status === 400 ? 'rejected' : 'accepted';
    },
    async ping() {
      // Readiness says why an old GitLab cannot be served, before any merge request is answered.
      await checkVersion();
    },
  };
}
