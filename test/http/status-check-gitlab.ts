/**
 * A GitLab stand-in for the status-check service (docs "api/merge_requests", "api/pipelines",
 * "api/jobs", "api/job_artifacts", "api/status_checks", "api/version"; GraphQL
 * `MergeRequest.headPipeline`): one merge request whose head pipeline, compose bridge, child
 * pipeline and jobs a test sets and changes while the service runs, and the answers it posted.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { gitlabError, paginated } from './gitlab-responses.js';

export const FAKE_GITLAB = 'https://gitlab.example.com';
export const FAKE_TOKEN = 'glpat-status-check-token';

export interface FakePipeline {
  id: number;
  sha: string;
  ref: string;
  status: string;
}

export interface FakeJob {
  id: number;
  name: string;
  status: string;
}

export interface PostedAnswer {
  readonly sha: string;
  readonly external_status_check_id: number;
  readonly status: string;
}

export interface StatusCheckWorld {
  projectId: number;
  iid: number;
  headSha: string;
  headPipeline: FakePipeline | null;
  /** The `policy:pipeline` bridge; undefined: the pipeline has none. */
  bridge: { status: string; child: FakePipeline | null } | undefined;
  /** The `policy:pre` bridge of the two-file layout; undefined: the pipeline has none. */
  preBridge: { status: string; child: FakePipeline | null } | undefined;
  parentJobs: FakeJob[];
  childJobs: FakeJob[];
  /** Jobs of the pre pipeline (`preBridge.child`). */
  preJobs: FakeJob[];
  /** `policy-report.json` of the compose job; undefined: 404. */
  report: unknown;
  /** GraphQL headPipeline id (merged results), null when GitLab has none for the head. */
  graphqlHeadPipelineId: number | null;
  /** Statuses the next merge request reads answer with before the real one (e.g. [502]). */
  mergeRequestFailures: number[];
  /** Status of status_check_responses posts (201, or 409 for a stale SHA). */
  answerStatus: number;
  versionStatus: number;
  /** What `GET /version` reports. */
  gitlabVersion: string;
  /** false: an older GitLab without `/trigger_jobs` (404, no such route); `/bridges` answers either way. */
  triggerJobsRoute: boolean;
  /** Resolved before each merge request read is answered, e.g. to keep an evaluation in flight. */
  mergeRequestGate: Promise<void>;
  readonly answers: PostedAnswer[];
  mergeRequestReads: number;
}

export type StatusCheckEndpoint = 'merge-request' | 'bridges' | 'jobs' | 'artifact' | 'answer' | 'version' | 'graphql';

export function createStatusCheckWorld(): StatusCheckWorld {
  return {
    projectId: 7,
    iid: 3,
    headSha: 'a'.repeat(40),
    headPipeline: null,
    bridge: undefined,
    preBridge: undefined,
    parentJobs: [],
    childJobs: [],
    preJobs: [],
    report: undefined,
    graphqlHeadPipelineId: null,
    mergeRequestFailures: [],
    answerStatus: 201,
    versionStatus: 200,
    gitlabVersion: '17.9.0-ee',
    triggerJobsRoute: true,
    mergeRequestGate: Promise.resolve(),
    answers: [],
    mergeRequestReads: 0,
  };
}

export function statusCheckHandlers(world: () => StatusCheckWorld, only?: readonly StatusCheckEndpoint[]): RequestHandler[] {
  const api = `${FAKE_GITLAB}/api/v4`;
  const authorized = (request: Request): boolean => request.headers.get('private-token') === FAKE_TOKEN;
  const pipelineJson = (pipeline: FakePipeline, projectId: number) => ({ ...pipeline, project_id: projectId, web_url: `${FAKE_GITLAB}/p/-/pipelines/${pipeline.id}` });
  const all: Record<StatusCheckEndpoint, RequestHandler> = {
    'merge-request': http.get(`${api}/projects/:id/merge_requests/:iid`, async ({ request, params }) => {
      const w = world();
      w.mergeRequestReads += 1;
      await w.mergeRequestGate;
      if (!authorized(request)) return gitlabError(401, '401 Unauthorized');
      const failure = w.mergeRequestFailures.shift();
      if (failure !== undefined) return gitlabError(failure, `${failure} Bad Gateway`);
      if (Number(params['id']) !== w.projectId || Number(params['iid']) !== w.iid) return gitlabError(404, '404 Not found');
      return HttpResponse.json({
        id: 900 + w.iid,
        iid: w.iid,
        project_id: w.projectId,
        state: 'opened',
        sha: w.headSha,
        diff_refs: { head_sha: w.headSha, base_sha: 'b'.repeat(40), start_sha: 'b'.repeat(40) },
        head_pipeline: w.headPipeline === null ? null : pipelineJson(w.headPipeline, w.projectId),
      });
    }),
    // lib/api/ci/pipelines.rb: `/trigger_jobs` on newer GitLab, `/bridges` (deprecated) on all.
    bridges: http.get(new RegExp(`^${api.replace(/[.]/g, '\\.')}/projects/\\d+/pipelines/\\d+/(trigger_jobs|bridges)(\\?.*)?$`), ({ request }) => {
      const w = world();
      if (!w.triggerJobsRoute && new URL(request.url).pathname.endsWith('/trigger_jobs')) return gitlabError(404, '404 Not Found');
      const listed = (id: number, name: string, bridge: StatusCheckWorld['bridge']) =>
        bridge === undefined
          ? []
          : [{ id, name, stage: 'test', status: bridge.status, downstream_pipeline: bridge.child === null ? null : pipelineJson(bridge.child, w.projectId) }];
      return paginated(request, [...listed(49, 'policy:pre', w.preBridge), ...listed(50, 'policy:pipeline', w.bridge)]);
    }),
    jobs: http.get(`${api}/projects/:id/pipelines/:pipelineId/jobs`, ({ request, params }) => {
      const w = world();
      const child = w.bridge?.child;
      const pre = w.preBridge?.child;
      const id = Number(params['pipelineId']);
      const jobs = child !== null && child !== undefined && id === child.id ? w.childJobs : pre !== null && pre !== undefined && id === pre.id ? w.preJobs : w.parentJobs;
      return paginated(request, jobs.map((job) => ({ ...job, stage: 'test', allow_failure: false })));
    }),
    artifact: http.get(`${api}/projects/:id/jobs/:jobId/artifacts/policy-report.json`, () => {
      const report = world().report;
      return report === undefined ? gitlabError(404, '404 Not Found') : HttpResponse.json(report);
    }),
    answer: http.post(`${api}/projects/:id/merge_requests/:iid/status_check_responses`, async ({ request }) => {
      const w = world();
      const body = (await request.json()) as PostedAnswer; // the service's own JSON
      w.answers.push(body);
      if (w.answerStatus === 409) return gitlabError(409, '409 Conflict');
      return HttpResponse.json({ id: w.answers.length, merge_request: { iid: w.iid }, external_status_check: { id: body.external_status_check_id } }, { status: w.answerStatus });
    }),
    version: http.get(`${api}/version`, () => {
      const status = world().versionStatus;
      return status === 200 ? HttpResponse.json({ version: world().gitlabVersion, revision: 'abc' }) : gitlabError(status, `${status} Unauthorized`);
    }),
    graphql: http.post(`${FAKE_GITLAB}/api/graphql`, () => {
      const id = world().graphqlHeadPipelineId;
      return HttpResponse.json({ data: { project: { mergeRequest: { headPipeline: id === null ? null : { id: `gid://gitlab/Ci::Pipeline/${id}` } } } } });
    }),
  };
  return (only ?? (Object.keys(all) as StatusCheckEndpoint[])).map((endpoint) => all[endpoint]);
}
