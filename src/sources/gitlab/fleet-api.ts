/**
 * The GitLab calls of `audit` and `rollout` (docs/fleet.md lists them with the token each needs):
 * the group's projects as a stream, the group tree, a project's latest default-branch pipeline,
 * the verifier's commit status on its SHA, the project's variable keys, and the one write, the
 * CI configuration file setting. Responses are checked by a shape where they enter; per-project
 * answers that mean "not for this token" (403) or "not there" (404) become values, so one
 * project's answer never stops a fleet run.
 */
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, groupPath, projectPath } from '../../http/gitlab-paths.js';
import { isSidecarError, SourceError } from '../../errors.js';
import { complianceFrameworksOfMany, type FrameworkIds } from './gitlab-graphql.js';
import { boolean, checkResponse, integer, list, nullable, object, optional, string } from './response-shape.js';

/** A project as the group listing shows it (docs "api/groups#list-projects", entity API::Entities::Project). */
export interface FleetProject {
  readonly id: number;
  readonly path: string;
  readonly namespaceId: number;
  readonly defaultBranch: string | null;
  /** null: GitLab's default `.gitlab-ci.yml`. undefined: hidden from this token (needs read_code). */
  readonly ciConfigPath: string | null | undefined;
  readonly archived: boolean;
  /** Exposed only to tokens that can administer the project (Maintainer): undefined otherwise. */
  readonly restrictUserDefinedVariables: boolean | undefined;
  readonly pipelineVariablesMinimumRole: string | undefined;
}

export interface FleetGroup {
  readonly id: number;
  readonly fullPath: string;
  readonly parentId: number | null;
}

export interface LatestPipeline {
  readonly id: number;
  readonly sha: string;
  readonly status: string;
}

/** What a per-project read found: the value, or why there is none. */
export type Found<T> = { readonly kind: 'found'; readonly value: T } | { readonly kind: 'forbidden' } | { readonly kind: 'missing' };

export interface FleetApi {
  /** The group's projects, subgroups included, archived left out, by id ascending, after `idAfter`. */
  groupProjects(group: string, idAfter: number | undefined): AsyncIterable<FleetProject>;
  group(group: string): Promise<FleetGroup | undefined>;
  descendantGroups(group: string): AsyncIterable<FleetGroup>;
  project(id: number): Promise<Found<FleetProject>>;
  latestPipeline(projectId: number, ref: string): Promise<Found<LatestPipeline>>;
  pipeline(projectId: number, pipelineId: number): Promise<Found<LatestPipeline>>;
  /** The newest commit status named `name` on `sha`: its state (success, failed, running...). */
  commitStatus(projectId: number, sha: string, name: string): Promise<Found<string>>;
  /** Keys of the project's CI/CD variables (Maintainer only: forbidden otherwise). */
  variableKeys(projectId: number): Promise<Found<string[]>>;
  setCiConfigPath(projectId: number, value: string): Promise<Found<FleetProject>>;
  /** Starts a pipeline on `ref` (canary): its id. */
  createPipeline(projectId: number, ref: string): Promise<Found<LatestPipeline>>;
  /**
   * Compliance framework ids of these projects (by full path), in one GraphQL request. A query
   * GitLab refuses (403, a GraphQL error) makes every one of them `unreadable`: a note on their
   * rows. A 5xx past the retries or a 401 ends the run like any other call.
   */
  complianceFrameworks(paths: readonly string[]): Promise<ReadonlyMap<string, FrameworkIds>>;
}

const projectShape = object({
  id: integer,
  path_with_namespace: string,
  default_branch: optional(nullable(string)),
  ci_config_path: optional(nullable(string)),
  archived: optional(boolean),
  namespace: object({ id: integer }),
  restrict_user_defined_variables: optional(boolean),
  ci_pipeline_variables_minimum_override_role: optional(nullable(string)),
});
/** 403 (GitLab refuses the endpoint to this token), 404, or a GraphQL error such as a query over the complexity budget. */
const FRAMEWORKS_REFUSED = new Set(['http-403', 'http-404', 'gitlab-graphql']);
const groupShape = object({ id: integer, full_path: string, parent_id: nullable(integer) });
const pipelineShape = object({ id: integer, sha: string, status: string });
const statusShape = list(object({ id: integer, name: string, status: string }));
const variableShape = object({ key: string });

export function createFleetApi(client: HttpClient): FleetApi {
  const toProject = (raw: unknown, endpoint: string): FleetProject => {
    const project = checkResponse(projectShape, raw, endpoint);
    return {
      id: project.id,
      path: project.path_with_namespace,
      namespaceId: project.namespace.id,
      defaultBranch: project.default_branch ?? null,
      ciConfigPath: project.ci_config_path,
      archived: project.archived ?? false,
      restrictUserDefinedVariables: project.restrict_user_defined_variables,
      pipelineVariablesMinimumRole: project.ci_pipeline_variables_minimum_override_role ?? undefined,
    };
  };
  const read = async <T>(path: string, map: (raw: unknown) => T, query?: Record<string, string>): Promise<Found<T>> => {
    const response = await client.request('GET', path, { acceptStatuses: [403, 404], ...(query === undefined ? {} : { query }) });
    return foundOf(response.status, () => map(response.json()));
  };

  // GraphQL through the HttpClient directly: no per-run memo, whose answers would pile up over a fleet.
  const graphql = {
    async postQuery(path: string, json: unknown) {
      const response = await client.request('POST', path, { json, idempotent: true });
      return { status: response.status, headers: response.headers, text: response.text() };
    },
  };

  return {
    async *groupProjects(group, idAfter) {
      // Keyset pagination ordered by id (docs "api/rest/#keyset-based-pagination"); a GitLab that
      // answers with offset pages is followed the same way. id_after resumes after a checkpoint.
      const query = {
        include_subgroups: true,
        archived: false,
        order_by: 'id',
        sort: 'asc',
        pagination: 'keyset',
        ...(idAfter === undefined ? {} : { id_after: idAfter }),
      };
      for await (const raw of client.paginate(`${groupPath(group)}/projects`, { query })) {
        const project = toProject(raw, 'GET /groups/:id/projects');
        // archived=false filters already; checked again so a server ignoring it cannot add one.
        if (!project.archived) yield project;
      }
    },
    async group(group) {
      const found = await read(groupPath(group), (raw) => toGroup(raw, 'GET /groups/:id'));
      return found.kind === 'found' ? found.value : undefined;
    },
    async *descendantGroups(group) {
      for await (const raw of client.paginate(`${groupPath(group)}/descendant_groups`)) yield toGroup(raw, 'GET /groups/:id/descendant_groups');
    },
    project: (id) => read(projectPath(id), (raw) => toProject(raw, 'GET /projects/:id')),
    latestPipeline: (projectId, ref) =>
      read(`${projectPath(projectId)}/pipelines/latest`, (raw) => checkResponse(pipelineShape, raw, 'GET /projects/:id/pipelines/latest'), { ref }),
    pipeline: (projectId, pipelineId) =>
      read(`${projectPath(projectId)}/pipelines/${encodePathSegment(pipelineId)}`, (raw) => checkResponse(pipelineShape, raw, 'GET /projects/:id/pipelines/:pipeline_id')),
    async commitStatus(projectId, sha, name) {
      const found = await read(
        `${projectPath(projectId)}/repository/commits/${encodePathSegment(sha)}/statuses`,
        (raw) => checkResponse(statusShape, raw, 'GET /projects/:id/repository/commits/:sha/statuses'),
        { name, all: 'true' },
      );
      if (found.kind !== 'found') return found;
      // Newest first by id: a later verdict replaces an earlier one on the same SHA.
      const newest = found.value.filter((status) => status.name === name).sort((a, b) => b.id - a.id)[0];
      return newest === undefined ? { kind: 'missing' } : { kind: 'found', value: newest.status };
    },
    async variableKeys(projectId) {
      // Offset pages (docs "api/project_level_variables"); read here rather than through
      // paginate so that a 403 on the first page (not a Maintainer) stays a value.
      const keys: string[] = [];
      for (let page = '1'; ; ) {
        const response = await client.request('GET', `${projectPath(projectId)}/variables`, { acceptStatuses: [403, 404], query: { per_page: 100, page } });
        if (response.status !== 200) return foundOf(response.status, () => []);
        for (const variable of checkResponse(list(variableShape), response.json(), 'GET /projects/:id/variables')) keys.push(variable.key);
        const next = response.headers['x-next-page']?.trim() ?? '';
        if (!/^\d+$/.test(next) || Number(next) <= Number(page)) return { kind: 'found', value: keys };
        page = next;
      }
    },
    async setCiConfigPath(projectId, value) {
      const response = await client.request('PUT', projectPath(projectId), { json: { ci_config_path: value }, acceptStatuses: [403, 404] });
      return foundOf(response.status, () => toProject(response.json(), 'PUT /projects/:id'));
    },
    async createPipeline(projectId, ref) {
      const response = await client.request('POST', `${projectPath(projectId)}/pipeline`, { json: { ref }, acceptStatuses: [403, 404] });
      return foundOf(response.status, () => checkResponse(pipelineShape, response.json(), 'POST /projects/:id/pipeline'));
    },
    async complianceFrameworks(paths) {
      try {
        return await complianceFrameworksOfMany(graphql, paths);
      } catch (error) {
        // An outage or a revoked token still stops the run (resumable), as on every other call:
        // only answers about this query or these projects become `unreadable`.
        if (!isSidecarError(error) || !FRAMEWORKS_REFUSED.has(error.code)) throw error;
        return new Map(paths.map((path): [string, FrameworkIds] => [path, 'unreadable']));
      }
    },
  };
}

function toGroup(raw: unknown, endpoint: string): FleetGroup {
  const group = checkResponse(groupShape, raw, endpoint);
  return { id: group.id, fullPath: group.full_path, parentId: group.parent_id };
}

function foundOf<T>(status: number, value: () => T): Found<T> {
  if (status === 403) return { kind: 'forbidden' };
  if (status === 404) return { kind: 'missing' };
  if (status >= 200 && status < 300) return { kind: 'found', value: value() };
  throw new SourceError(`http-${status}`, `GitLab answered HTTP ${status}`);
}
