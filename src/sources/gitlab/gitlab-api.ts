/**
 * The REST reads of the GitLab source, one function per endpoint: the call through gitbeaker's
 * resources (our requester underneath), the response checked by a shape where it enters, mapped
 * to our camelCase records. "Absent" answers (404, and 403 where a tier lacks a feature) become
 * undefined or []; every other failure is the HttpClient's SourceError, token-free.
 */
import { SourceError } from '../../errors.js';
import { encodePathSegment } from '../../http/gitlab-paths.js';
import { nextPageUrl } from '../../http/pagination.js';
import type { OpenMergeRequest } from '../source.js';
import type { GitbeakerApi } from './gitbeaker-requester.js';
import type { GitlabTransport } from './gitlab-transport.js';
import { createRawFileReader } from './raw-files.js';
import { boolean, checkResponse, integer, list, nullable, object, optional, string } from './response-shape.js';

export interface ProjectRecord {
  readonly id: number;
  readonly path: string;
  /** null for a project without a repository. */
  readonly defaultBranch: string | null;
  readonly namespace: { readonly id: number; readonly kind: string; readonly fullPath: string };
}

export interface GroupRecord {
  readonly id: number;
  readonly fullPath: string;
  readonly parentId: number | null;
}

export interface GitlabApi {
  project(path: string): Promise<ProjectRecord | undefined>;
  group(idOrPath: number | string): Promise<GroupRecord | undefined>;
  /** Protected branch names and wildcards; where the token may not list them, the protected branches that exist. */
  protectedBranches(project: string): Promise<string[]>;
  /**
   * Group-level protected branches: top-level groups, Premium, self-managed; [] where they do
   * not exist (404), undefined where the token may not list them (403): not "none".
   */
  groupProtectedBranches(group: string): Promise<string[] | undefined>;
  /** The project's branches that GitLab marks `protected` (project and group rules alike). */
  branchesMarkedProtected(project: string): Promise<string[]>;
  rawFile(project: string, path: string, ref: string | undefined): Promise<string | undefined>;
  /** Blob paths (files and symbolic links), undefined when the project or ref does not exist. */
  tree(project: string, ref: string | undefined): Promise<string[] | undefined>;
  template(key: string): Promise<string | undefined>;
  /** Open merge requests of the project from `sourceBranch`, by iid ascending; [] when the project is not there. */
  openMergeRequests(project: string, sourceBranch: string): Promise<OpenMergeRequest[]>;
}

const projectShape = object({
  id: integer,
  path_with_namespace: string,
  // Left out, not null, when the token may not read the code (lib/api/entities/basic_project_details.rb
  // `expose :default_branch, if: ... :download_code`); null for a project without a repository.
  default_branch: optional(nullable(string)),
  namespace: object({ id: integer, kind: string, full_path: string }),
});
const groupShape = object({ id: integer, full_path: string, parent_id: nullable(integer) });
const namedList = list(object({ name: string }));
const branchList = list(object({ name: string, protected: boolean }));
const treeShape = list(object({ path: string, type: string }));
const templateShape = object({ content: string });
const mergeRequestsShape = list(object({ iid: integer, state: string, source_branch: string, target_branch: string }));

export function createGitlabApi(loadGitbeaker: () => Promise<GitbeakerApi>, transport: GitlabTransport): GitlabApi {
  let loaded: Promise<GitbeakerApi> | undefined;
  const gitbeakerApi = (): Promise<GitbeakerApi> => (loaded ??= loadGitbeaker());
  /** A gitbeaker call, 404 (or the given statuses) meaning "not there". */
  const read = async <T>(statuses: readonly number[], call: (gitbeaker: GitbeakerApi) => Promise<T>): Promise<T | undefined> =>
    absentOn(statuses, gitbeakerApi().then(call));

  const branchesMarkedProtected = async (project: string): Promise<string[]> => {
    // docs "api/branches": `protected` is true when a project or group rule protects the branch.
    const raw = await absentOn([404], allPages(transport, `projects/${encodePathSegment(project)}/repository/branches`));
    return raw === undefined ? [] : checkResponse(branchList, raw, 'GET /projects/:id/repository/branches').flatMap((branch) => (branch.protected ? [branch.name] : []));
  };

  const rawFile = createRawFileReader(transport);

  return {
    async project(path) {
      const raw = await read([404], (gitbeaker) => gitbeaker.Projects.show(path));
      if (raw === undefined) return undefined;
      const project = checkResponse(projectShape, raw, 'GET /projects/:id');
      if (project.default_branch === undefined) {
        throw new SourceError('gitlab-code-not-readable', `the token can see project ${project.path_with_namespace} but not its code`, {
          hint: 'GitLab hides the repository from Guests and when the repository feature is limited to members: give POLICY_SIDECAR_TOKEN at least the Reporter role on the project.',
        });
      }
      const { namespace } = project;
      return {
        id: project.id,
        path: project.path_with_namespace,
        defaultBranch: project.default_branch,
        namespace: { id: namespace.id, kind: namespace.kind, fullPath: namespace.full_path },
      };
    },
    async group(idOrPath) {
      const raw = await read([404], (gitbeaker) => gitbeaker.Groups.show(idOrPath));
      if (raw === undefined) return undefined;
      const group = checkResponse(groupShape, raw, 'GET /groups/:id');
      return { id: group.id, fullPath: group.full_path, parentId: group.parent_id };
    },
    async protectedBranches(project) {
      let raw: unknown;
      try {
        raw = await read([404], (gitbeaker) => gitbeaker.ProtectedBranches.all(project, { perPage: 100 }));
      } catch (error) {
        // Older GitLab lets only Maintainers list them (lib/api/protected_branches.rb
        // `before { authorize_admin_project }`); the branches API marks each branch instead.
        if (error instanceof SourceError && error.code === 'http-403') return branchesMarkedProtected(project);
        throw error;
      }
      return raw === undefined ? [] : checkResponse(namedList, raw, 'GET /projects/:id/protected_branches').map((branch) => branch.name);
    },
    async groupProtectedBranches(group) {
      // gitbeaker 43 has no resource for this endpoint: its pages are read through the transport.
      // 404: not on this tier, flag or group level. 403: they exist and this token may not list
      // them (lib/api/group_protected_branches.rb `before { authorize_admin_group }`: the group's Owner): the caller must find them another way, never read "none".
      let raw: unknown[] | undefined;
      try {
        raw = await absentOn([404], allPages(transport, `groups/${encodePathSegment(group)}/protected_branches`));
      } catch (error) {
        if (error instanceof SourceError && error.code === 'http-403') return undefined;
        throw error;
      }
      return raw === undefined ? [] : checkResponse(namedList, raw, 'GET /groups/:id/protected_branches').map((branch) => branch.name);
    },
    branchesMarkedProtected,
    rawFile,
    async tree(project, ref) {
      const options = { recursive: true, perPage: 100, ...(ref === undefined ? {} : { ref }) };
      const raw = await read([404], (gitbeaker) => gitbeaker.Repositories.allRepositoryTrees(project, options));
      if (raw === undefined) return undefined;
      const entries = checkResponse(treeShape, raw, 'GET /projects/:id/repository/tree');
      // `tree` entries are folders and `commit` entries submodules; git and rules:exists list blobs.
      return entries.filter((entry) => entry.type === 'blob').map((entry) => entry.path);
    },
    async template(key) {
      // Through the resource's requester: GitLabCIYMLTemplates.show() warns of a deprecation on
      // every call (on standard error, in CI logs); the endpoint itself is current.
      const response = await read([404], (gitbeaker) => gitbeaker.GitLabCIYMLTemplates.requester.get(encodePathSegment(key)));
      if (response === undefined) return undefined;
      return checkResponse(templateShape, response.body, 'GET /templates/gitlab_ci_ymls/:key').content;
    },
    async openMergeRequests(project, sourceBranch) {
      const options = { projectId: project, state: 'opened' as const, sourceBranch, perPage: 100 };
      const raw = await read([404], (gitbeaker) => gitbeaker.MergeRequests.all(options));
      if (raw === undefined) return [];
      const requests = checkResponse(mergeRequestsShape, raw, 'GET /projects/:id/merge_requests');
      // GitLab filters already; checked again so a server ignoring a filter cannot add a branch.
      return requests
        .filter((request) => request.state === 'opened' && request.source_branch === sourceBranch)
        .map((request) => ({ iid: request.iid, targetBranch: request.target_branch }))
        .sort((a, b) => a.iid - b.iid);
    },
  };
}

/** undefined when GitLab answers one of `statuses` (the thing is not there, or not on this tier). */
export async function absentOn<T>(statuses: readonly number[], request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof SourceError && statuses.some((status) => error.code === `http-${status}`)) return undefined;
    throw error;
  }
}

/** The items of every page of a list endpoint, following GitLab's Link / X-Next-Page. */
async function allPages(transport: GitlabTransport, path: string): Promise<unknown[]> {
  const endpoint = `GET /${path}`;
  const items: unknown[] = [];
  let query: Record<string, string> | undefined = { per_page: '100' };
  for (let page = 1; query !== undefined; page += 1) {
    if (page > MAX_PAGES) throw new SourceError('http-too-many-pages', `${endpoint} has more than ${MAX_PAGES} pages`);
    const response = await transport.get(path, query);
    items.push(...checkResponse(list(unknownItem), parseJson(response.text, endpoint), endpoint));
    // Only the next page's query is taken: the path stays ours, whatever host GitLab links to.
    const here = new URL(`http://gitlab.invalid/?${new URLSearchParams(query).toString()}`);
    const next = nextPageUrl(here, response.headers, here.origin);
    query = next === undefined ? undefined : Object.fromEntries(next.searchParams);
  }
  return items;
}

const MAX_PAGES = 1000;
const unknownItem = (value: unknown): unknown => value;

export function parseJson(text: string, endpoint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SourceError('gitlab-response-shape', `${endpoint} answered with a body that is not JSON`, {
      hint: 'A proxy or a maintenance page may answer instead of GitLab: check CI_SERVER_URL and HTTPS_PROXY.',
      cause: error,
    });
  }
}
