/**
 * The verifier's read of one pipeline (issue 13): one GraphQL query per job list page returns
 * the pipeline record, its configuration source, head commit message and merge request, its jobs
 * and bridges, and each bridge's downstream pipeline with that pipeline's jobs. Before, the same
 * facts took five REST/GraphQL requests in three rounds (pipeline, GraphQL origin, jobs, bridges,
 * then each child pipeline's jobs).
 *
 * Every field and argument is GitLab's (gitlab-org/gitlab):
 * - `Project.pipeline(id: CiPipelineID)` and `Project.pipelines(sha:, first:)`:
 *   app/graphql/resolvers/ci/project_pipeline_resolver.rb, app/graphql/resolvers/concerns/resolves_pipelines.rb.
 *   Both go through Ci::PipelinesFinder (app/finders/ci/pipelines_finder.rb), which leaves child
 *   pipelines out of a list (`no_child`) and orders by id, newest first: the same answer as
 *   `GET /projects/:id/pipelines?sha=&order_by=id&sort=desc`. (`pipeline(sha:)` is not used: its
 *   batch loader keeps the last pipeline per sha, which is the oldest.)
 * - `Pipeline { id iid sha beforeSha ref refPath source status child configSource user commit
 *   mergeRequest jobs }`: app/graphql/types/ci/pipeline_type.rb. `id` is a global id
 *   (`gid://gitlab/Ci::Pipeline/5000`, Types::BaseObject#id); `status` is PipelineStatusEnum,
 *   GitLab's status names upper-cased. There is no `tag` field: `refPath` is `refs/tags/<tag>` for
 *   a tag pipeline (Ci::Pipeline#source_ref_path).
 * - `Pipeline.jobs(retried: false, first:, after:)`: app/graphql/resolvers/ci/jobs_resolver.rb;
 *   `retried: false` keeps the latest attempt of each job, as REST `/pipelines/:id/jobs` does. It
 *   lists every commit status of the pipeline: builds (`gid://gitlab/Ci::Build/…`), bridges
 *   (`gid://gitlab/Ci::Bridge/…`) and external statuses (`gid://gitlab/GenericCommitStatus/…`,
 *   which anyone with the Developer role can post with any name): only builds count as jobs,
 *   only bridges as bridges (app/graphql/types/ci/job_type.rb `id`, `downstreamPipeline`).
 * - Limits (app/graphql/gitlab_schema.rb): depth 20 and complexity 250 for an authenticated
 *   request. A resolver connection costs (children + 1) × (1 + first/100)
 *   (app/graphql/types/base_field.rb `field_resolver_complexity`, app/graphql/resolvers/base_resolver.rb
 *   `complexity_multiplier`); this query, children's jobs included, comes to about 105 by id and 120 for a commit's newest
 *   pipeline, depth 10.
 *   Pages are 100 items (the schema's max page size): a pipeline with more statuses, or a child
 *   pipeline with more jobs, is read on with `after`, one more request per page.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import type { PipelineRead, PipelineSelector } from '../../verify/records-port.js';
import type { BridgeRecord, JobRecord, PipelineRecord, ProjectRecord } from '../../verify/records.js';
import { boolean, checkResponse, list, nullable, object, optional, string, type Shape, type ShapeOf } from './response-shape.js';

const ENDPOINT = 'POST /api/graphql';
const PAGE_SIZE = 100;

const JOB_FIELDS = 'id name status allowFailure startedAt finishedAt stage { name }';
const JOB_PAGE = `pageInfo { hasNextPage endCursor } nodes { ${JOB_FIELDS} }`;
const PARENT_JOB_PAGE = `pageInfo { hasNextPage endCursor } nodes { ${JOB_FIELDS} downstreamPipeline { id sha status project { id } jobs(retried: false, first: ${PAGE_SIZE}) { ${JOB_PAGE} } } }`;
const PIPELINE_FIELDS = `id iid sha beforeSha ref refPath source status child configSource user { id } commit { message } mergeRequest { iid sourceBranch targetBranch } jobs(retried: false, first: ${PAGE_SIZE}) { ${PARENT_JOB_PAGE} }`;

export const VERIFY_PIPELINE_QUERY = `query VerifyPipeline($fullPath: ID!, $id: CiPipelineID!) { project(fullPath: $fullPath) { pipeline(id: $id) { ${PIPELINE_FIELDS} } } }`;
export const VERIFY_NEWEST_PIPELINE_QUERY = `query VerifyNewestPipeline($fullPath: ID!, $sha: String!) { project(fullPath: $fullPath) { pipelines(sha: $sha, first: 1) { nodes { ${PIPELINE_FIELDS} } } } }`;
/** The next page of a pipeline's jobs (with its bridges' downstream pipelines, for the parent). */
export const VERIFY_PIPELINE_JOBS_QUERY = `query VerifyPipelineJobs($fullPath: ID!, $id: CiPipelineID!, $after: String!) { project(fullPath: $fullPath) { pipeline(id: $id) { jobs(retried: false, first: ${PAGE_SIZE}, after: $after) { ${PARENT_JOB_PAGE} } } } }`;
export const VERIFY_CHILD_JOBS_QUERY = `query VerifyChildJobs($fullPath: ID!, $id: CiPipelineID!, $after: String!) { project(fullPath: $fullPath) { pipeline(id: $id) { jobs(retried: false, first: ${PAGE_SIZE}, after: $after) { ${JOB_PAGE} } } } }`;

const pageInfoShape = object({ hasNextPage: boolean, endCursor: nullable(string) });
const jobFields = {
  // JobType `id` is null for a status not yet saved; such a status is no job of the pipeline.
  id: nullable(string),
  name: nullable(string),
  status: nullable(string),
  allowFailure: boolean,
  startedAt: nullable(string),
  finishedAt: nullable(string),
  stage: nullable(object({ name: string })),
};
const jobPageShape = object({ pageInfo: pageInfoShape, nodes: list(object(jobFields)) });
const downstreamShape = object({ id: string, sha: nullable(string), status: string, project: nullable(object({ id: string })), jobs: nullable(jobPageShape) });
const parentJobPageShape = object({ pageInfo: pageInfoShape, nodes: list(object({ ...jobFields, downstreamPipeline: optional(nullable(downstreamShape)) })) });
const pipelineShape = object({
  id: string,
  iid: string,
  sha: nullable(string),
  beforeSha: nullable(string),
  ref: nullable(string),
  refPath: nullable(string),
  source: nullable(string),
  status: string,
  child: boolean,
  configSource: nullable(string),
  user: nullable(object({ id: string })),
  commit: nullable(object({ message: nullable(string) })),
  mergeRequest: nullable(object({ iid: string, sourceBranch: string, targetBranch: string })),
  jobs: nullable(parentJobPageShape),
});
const graphqlErrors = optional(list(object({ message: string })));

type JobNode = ShapeOf<typeof jobPageShape>['nodes'][number];
type ParentJobNode = ShapeOf<typeof parentJobPageShape>['nodes'][number];
type PipelineNode = ShapeOf<typeof pipelineShape>;

async function query<T>(client: HttpClient, text: string, variables: Record<string, string>, data: Shape<T>): Promise<T> {
  // `/api/graphql` beside `/api/v4`, as in gitlab-graphql.ts. A read, so it may be retried.
  const response = await client.request('POST', '../graphql', { json: { query: text, variables }, idempotent: true });
  const body = checkResponse(object({ data: optional(nullable(data)), errors: graphqlErrors }), response.json(), ENDPOINT);
  const errors = body.errors ?? [];
  // Never a verdict on part of the records: any error (complexity, a field this GitLab lacks) fails the read.
  if (errors.length > 0 || body.data === undefined || body.data === null) {
    throw new SourceError('verify-graphql', `${ENDPOINT} failed: ${errors.map((error) => error.message).join('; ') || 'no data'}`, {
      hint: 'The verifier needs a GitLab whose GraphQL has Project.pipeline(id:), Pipeline.refPath and Pipeline.child, and a token with scope read_api.',
    });
  }
  return body.data;
}

/** The number of a global id of one of `models` (`gid://gitlab/Ci::Build/123` → 123); undefined for another model. */
export function globalIdNumber(gid: string, models: readonly string[]): number | undefined {
  const match = /^gid:\/\/gitlab\/([A-Za-z:]+)\/(\d+)$/.exec(gid);
  if (match === null || !models.includes(match[1] ?? '')) return undefined;
  return Number(match[2]);
}

function requiredId(gid: string, model: string, what: string): number {
  const id = globalIdNumber(gid, [model]);
  if (id === undefined) throw new SourceError('gitlab-response-shape', `${ENDPOINT} answered with an unexpected shape: ${what} id ${JSON.stringify(gid).slice(0, 60)} is not a ${model} global id`);
  return id;
}

const gidOf = (model: string, id: number): string => `gid://gitlab/${model}/${id}`;

/** GitLab's status names, as REST spells them (GraphQL upper-cases them). */
const statusOf = (status: string | null): string => (status ?? 'unknown').toLowerCase();

function jobOf(node: JobNode, id: number): JobRecord {
  return { id, name: node.name ?? '', stage: node.stage?.name ?? '', status: statusOf(node.status), allowFailure: node.allowFailure, startedAt: node.startedAt, finishedAt: node.finishedAt };
}

/** Builds only: bridges and external commit statuses are left out, as REST `/pipelines/:id/jobs` does. */
function buildsOf(nodes: readonly JobNode[]): JobRecord[] {
  return nodes.flatMap((node) => {
    const id = node.id === null ? undefined : globalIdNumber(node.id, ['Ci::Build']);
    return id === undefined ? [] : [jobOf(node, id)];
  });
}

function pipelineOf(node: PipelineNode, projectId: number): PipelineRecord {
  const before = node.beforeSha ?? undefined;
  return {
    id: requiredId(node.id, 'Ci::Pipeline', 'pipeline'),
    iid: Number(node.iid),
    projectId,
    sha: node.sha ?? '',
    // GitLab writes forty zeros when there is no previous commit.
    beforeSha: before === undefined || /^0+$/.test(before) ? undefined : before,
    ref: node.ref ?? '',
    tag: node.refPath?.startsWith('refs/tags/') ?? false,
    source: node.source ?? 'unknown',
    status: statusOf(node.status),
    userId: node.user === null ? undefined : globalIdNumber(node.user.id, ['User']),
  };
}

interface JobPage<N> {
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly nodes: readonly N[];
}

/** Every node of a job list, reading on page by page from `first` while GitLab says there is more. */
async function allNodes<N>(first: JobPage<N> | null, next: (after: string) => Promise<JobPage<N> | null>): Promise<N[]> {
  const nodes: N[] = [...(first?.nodes ?? [])];
  let page = first;
  while (page !== null && page.pageInfo.hasNextPage) {
    const after = page.pageInfo.endCursor;
    if (after === null) throw new SourceError('verify-graphql', `${ENDPOINT}: GitLab said there are more jobs but gave no cursor`);
    page = await next(after);
    nodes.push(...(page?.nodes ?? []));
  }
  return nodes;
}

export async function readPipeline(client: HttpClient, project: ProjectRecord, which: PipelineSelector, follow: readonly string[]): Promise<PipelineRead | undefined> {
  const node = await firstNode(client, project, which);
  if (node === null || node === undefined) return undefined;
  const pipeline = pipelineOf(node, project.id);
  if ('newestForSha' in which && (node.child || pipeline.source === 'parent_pipeline')) {
    // Ci::PipelinesFinder never lists child pipelines; should it, its verdict would be its parent's.
    throw new SourceError('verify-newest-pipeline-child', `GitLab listed child pipeline #${pipeline.id} as the newest pipeline of ${which.newestForSha.slice(0, 8)}`, {
      hint: 'Verify the parent pipeline with `policy-sidecar verify --pipeline ID`.',
    });
  }
  const parentNodes = await allNodes<ParentJobNode>(node.jobs, async (after) => {
    const data = await query(client, VERIFY_PIPELINE_JOBS_QUERY, { fullPath: project.path, id: gidOf('Ci::Pipeline', pipeline.id), after }, object({ project: nullable(object({ pipeline: nullable(object({ jobs: nullable(parentJobPageShape) })) })) }));
    return data.project?.pipeline?.jobs ?? null;
  });
  const bridges: BridgeRecord[] = [];
  const childJobs: Record<string, readonly JobRecord[]> = {};
  for (const job of parentNodes) {
    if (job.id === null || globalIdNumber(job.id, ['Ci::Bridge']) === undefined) continue;
    const downstream = job.downstreamPipeline ?? null;
    const name = job.name ?? '';
    const record: BridgeRecord = {
      name,
      status: statusOf(job.status),
      downstream:
        downstream === null
          ? undefined
          : {
              id: requiredId(downstream.id, 'Ci::Pipeline', 'downstream pipeline'),
              // A downstream pipeline GitLab does not show the project of is in no project of ours.
              projectId: downstream.project === null ? -1 : requiredId(downstream.project.id, 'Project', 'downstream project'),
              sha: downstream.sha ?? '',
              status: statusOf(downstream.status),
            },
    };
    bridges.push(record);
    if (downstream !== null && record.downstream !== undefined && follow.includes(name)) {
      childJobs[name] = await childJobsOf(client, record.downstream, project, downstream.jobs);
    }
  }
  const merge = node.mergeRequest;
  return {
    pipeline,
    configSource: node.configSource ?? undefined,
    commitMessage: node.commit?.message ?? undefined,
    mergeRequest: merge === null ? undefined : { iid: Number(merge.iid), sourceBranch: merge.sourceBranch, targetBranch: merge.targetBranch },
    jobs: buildsOf(parentNodes.filter((job) => job.id === null || globalIdNumber(job.id, ['Ci::Bridge']) === undefined)),
    bridges,
    childJobs,
  };
}

async function firstNode(client: HttpClient, project: ProjectRecord, which: PipelineSelector): Promise<PipelineNode | null | undefined> {
  if ('id' in which) {
    const data = await query(client, VERIFY_PIPELINE_QUERY, { fullPath: project.path, id: gidOf('Ci::Pipeline', which.id) }, object({ project: nullable(object({ pipeline: nullable(pipelineShape) })) }));
    return (data.project ?? hiddenProject(project)).pipeline;
  }
  const data = await query(client, VERIFY_NEWEST_PIPELINE_QUERY, { fullPath: project.path, sha: which.newestForSha }, object({ project: nullable(object({ pipelines: nullable(object({ nodes: list(pipelineShape) })) })) }));
  return (data.project ?? hiddenProject(project)).pipelines?.nodes[0];
}

/**
 * GraphQL answers null for a project it does not show (renamed since REST read it, or hidden from
 * the token): that is no answer about its pipelines, never "the commit has no pipeline".
 */
function hiddenProject(project: ProjectRecord): never {
  throw new SourceError('verify-project-hidden', `GraphQL does not show project ${project.path} (#${project.id}) to the verifier`, {
    hint: 'Check that the token can read the project (scope read_api, at least Reporter); a project renamed a moment ago is read again within 30 s.',
  });
}

async function childJobsOf(client: HttpClient, downstream: { readonly id: number; readonly projectId: number }, project: ProjectRecord, first: JobPage<JobNode> | null): Promise<JobRecord[]> {
  const nodes = await allNodes<JobNode>(first, async (after) => {
    // A child pipeline of another project is read on only in ours (check-origin fails it anyway).
    if (downstream.projectId !== project.id) return null;
    const data = await query(client, VERIFY_CHILD_JOBS_QUERY, { fullPath: project.path, id: gidOf('Ci::Pipeline', downstream.id), after }, object({ project: nullable(object({ pipeline: nullable(object({ jobs: nullable(jobPageShape) })) })) }));
    return data.project?.pipeline?.jobs ?? null;
  });
  return buildsOf(nodes);
}
