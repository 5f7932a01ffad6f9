/**
 * msw handlers answering like GitLab's REST API (docs "api/projects", "api/repository_files",
 * "api/repositories", "api/templates/gitlab_ci_ymls", "api/groups", "api/protected_branches",
 * "api/group_protected_branches", "api/merge_requests") for a fake instance built from a workspace folder, plus the
 * GraphQL endpoint (gitlab-graphql.ts). Every project is private: without a valid token the
 * answer is GitLab's 404, as for a project one cannot see.
 */
import { createHash } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import picomatch from 'picomatch';
import { mergeRequestOf, mergeRequestsOf } from './gitlab-merge-requests.js';
import { loadFakeGitlab, type FakeGitlab, type FakeGitlabOptions, type FakeGroup, type FakeProject } from './gitlab-instance.js';
import { graphqlHandler } from './gitlab-graphql.js';
import { callerOf, gitlabError, jsonResponse, paginated } from './gitlab-responses.js';

export type Endpoint =
  | 'project'
  | 'raw-file'
  | 'file-metadata'
  | 'tree'
  | 'protected-branches'
  | 'group'
  | 'group-protected-branches'
  | 'branches'
  | 'template'
  | 'merge-requests'
  | 'merge-request'
  | 'job'
  | 'graphql';

export interface GitlabHandlerOptions extends FakeGitlabOptions {
  /** Only these endpoints (every declared handler must be used by the test that declares it). */
  readonly only?: readonly Endpoint[];
}

export function gitlabHandlersFor(workspaceDir: string, options: GitlabHandlerOptions = {}): RequestHandler[] {
  return handlersOf(loadFakeGitlab(workspaceDir, options), options.only);
}

export function handlersOf(fake: FakeGitlab, only?: readonly Endpoint[]): RequestHandler[] {
  const api = fake.apiUrl;
  const all: Record<Endpoint, RequestHandler> = {
    project: http.get(`${api}/projects/:id`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => jsonResponse(request, projectJson(fake, project))),
    ),
    // Workhorse sends the blob with the X-Gitlab-* file headers (lib/api/files.rb `set_http_headers`)
    // and no ETag, so the ETag cache cannot keep raw files.
    'raw-file': http.get(`${api}/projects/:id/repository/files/:filePath/raw`, ({ request, params }) =>
      withProject(request, fake, params['id'], true, (project) => {
        const path = String(params['filePath']);
        const bytes = fake.file(project, path);
        if (bytes === undefined) return gitlabError(404, '404 File Not Found');
        return new HttpResponse(new Uint8Array(bytes), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', ...fileHeaders(request, path, bytes) } });
      }),
    ),
    // docs "api/repository_files" "Get file metadata only": HEAD, `ref` required, the file's facts in headers.
    // Not in GitLab's job token table (docs "ci/jobs/ci_job_token"): with CI_JOB_TOKEN it is anonymous.
    'file-metadata': http.head(`${api}/projects/:id/repository/files/:filePath`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => {
        const path = String(params['filePath']);
        if (new URL(request.url).searchParams.get('ref') === null) return new HttpResponse(null, { status: 400 });
        const bytes = fake.file(project, path);
        if (bytes === undefined) return new HttpResponse(null, { status: 404 });
        return new HttpResponse(null, { status: 200, headers: fileHeaders(request, path, bytes) });
      }),
    ),
    tree: http.get(`${api}/projects/:id/repository/tree`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => {
        const recursive = new URL(request.url).searchParams.get('recursive') === 'true';
        const entries = fake.tree(project).filter((entry) => recursive || !entry.path.includes('/'));
        return paginated(request, entries);
      }),
    ),
    'protected-branches': http.get(`${api}/projects/:id/protected_branches`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => {
        if (fake.options.protectedBranchesNeedMaintainer === true && rank(fake) < rank('maintainer')) return gitlabError(403, '403 Forbidden');
        return paginated(request, project.protectedBranches.map(protectedBranchJson));
      }),
    ),
    // docs "api/branches": every branch with `protected`, true when a project or group rule matches it.
    branches: http.get(`${api}/projects/:id/repository/branches`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => {
        const topLevel = project.path.split('/')[0] ?? '';
        const rules = [...project.protectedBranches, ...(fake.tier === 'free' ? [] : (fake.options.groupProtectedBranches?.[topLevel] ?? []))];
        const names = [...new Set([project.defaultBranch, ...project.protectedBranches.filter((name) => !name.includes('*')), ...(fake.options.branches?.[project.path] ?? [])])].sort();
        return paginated(request, names.map((name) => ({ name, protected: rules.some((rule) => picomatch.isMatch(name, rule)), default: name === project.defaultBranch })));
      }),
    ),
    group: http.get(`${api}/groups/:id`, ({ request, params }) =>
      withGroup(request, fake, params['id'], (group) => jsonResponse(request, groupJson(fake, group))),
    ),
    'group-protected-branches': http.get(`${api}/groups/:id/protected_branches`, ({ request, params }) =>
      withGroup(request, fake, params['id'], (group) => {
        // Premium, self-managed, behind allow_protected_branches_for_group; top-level groups only.
        if (fake.tier === 'free' || group.parentId !== null) return gitlabError(404, '404 Not Found');
        // Listing them needs the group's Owner (lib/api/group_protected_branches.rb `before { authorize_admin_group }`).
        if (rank(fake) < rank('owner')) return gitlabError(403, '403 Forbidden');
        return paginated(request, (fake.options.groupProtectedBranches?.[group.fullPath] ?? []).map(protectedBranchJson));
      }),
    ),
    template: http.get(`${api}/templates/gitlab_ci_ymls/:key`, ({ request, params }) => {
      const caller = callerOf(request, fake, false);
      if (caller instanceof Response) return caller;
      const key = String(params['key']);
      // The route requires `[\w.-]+` (lib/api/templates.rb): `Jobs%2FSAST` matches no route.
      if (!/^[\w.-]+$/.test(key)) return gitlabError(404, '404 Not Found');
      const content = fake.template(key);
      if (content === undefined) return gitlabError(404, '404 Template Not Found');
      return jsonResponse(request, { name: key, content });
    }),
    'merge-requests': http.get(`${api}/projects/:id/merge_requests`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => mergeRequestsOf(request, fake, project)),
    ),
    'merge-request': http.get(`${api}/projects/:id/merge_requests/:iid`, ({ request, params }) =>
      withProject(request, fake, params['id'], false, (project) => mergeRequestOf(request, fake, project, String(params['iid']))),
    ),
    job: http.get(`${api}/job`, ({ request }) => currentJob(request, fake)),
    graphql: graphqlHandler(fake),
  };
  return (only ?? defaultEndpoints(fake)).map((name) => all[name]);
}

/** Every endpoint; those of a CI job only when the instance has one (an unused handler fails the test file). */
function defaultEndpoints(fake: FakeGitlab): Endpoint[] {
  const job = fake.options.job;
  const perJob: Endpoint[] = job === undefined ? [] : ['job', ...(job.ref.startsWith('refs/merge-requests/') ? (['merge-request'] as const) : [])];
  return [...(['project', 'raw-file', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'template', 'merge-requests', 'graphql'] as const), ...perJob];
}

/**
 * `GET /job` (lib/api/ci/jobs.rb "Get current job using job token"): only the JOB-TOKEN of a
 * running job authenticates it; any other token, or none, is GitLab's 401.
 */
function currentJob(request: Request, fake: FakeGitlab): Response {
  const job = fake.options.job;
  const token = request.headers.get('job-token');
  if (job === undefined || token === null || token !== job.token) return gitlabError(401, '401 Unauthorized');
  const project = fake.project(job.project);
  if (project === undefined) return gitlabError(404, '404 Project Not Found');
  const pipeline = { id: job.pipelineId, iid: job.pipelineId % 1000, project_id: project.id, sha: job.sha, ref: job.ref, status: 'running', source: job.source, created_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-01T00:00:00.000Z', web_url: `${fake.baseUrl}/${project.path}/-/pipelines/${job.pipelineId}` };
  return HttpResponse.json({
    id: job.id,
    status: 'running',
    stage: '.pre',
    name: 'policy:compose',
    ref: job.ref,
    tag: job.tag ?? false,
    coverage: null,
    allow_failure: false,
    created_at: '2024-01-01T00:00:00.000Z',
    started_at: '2024-01-01T00:00:01.000Z',
    finished_at: null,
    commit: { id: job.sha, short_id: job.sha.slice(0, 8), title: 'commit' },
    pipeline,
    web_url: `${fake.baseUrl}/${project.path}/-/jobs/${job.id}`,
    artifacts: [],
    runner: null,
    artifacts_expire_at: null,
    tag_list: [],
  });
}

/** GitLab's rate limiter (docs "security/rate_limits"): 429, Retry-After, once, then the normal handlers. */
export function rateLimitedOnce(url: string, retryAfterSeconds: number): RequestHandler {
  return http.get(
    url,
    () => HttpResponse.json({ message: 'Retry later' }, { status: 429, headers: { 'retry-after': String(retryAfterSeconds), 'ratelimit-remaining': '0' } }),
    { once: true },
  );
}

export interface CannedAnswer {
  readonly status?: number;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One recorded answer for one URL, for responses the fake instance never gives (odd shapes, outages). */
export function answerWith(method: 'GET' | 'POST', url: string, answer: CannedAnswer): RequestHandler {
  const respond = () => HttpResponse.json(answer.json ?? null, { status: answer.status ?? 200, headers: { ...answer.headers } });
  return method === 'GET' ? http.get(url, respond) : http.post(url, respond);
}

/** The X-Gitlab-* headers of a file (git blob id, content SHA-256, size, path, ref). */
function fileHeaders(request: Request, path: string, bytes: Buffer): Record<string, string> {
  const blobId = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  return {
    'x-gitlab-blob-id': blobId,
    'x-gitlab-content-sha256': createHash('sha256').update(bytes).digest('hex'),
    'x-gitlab-file-path': path,
    'x-gitlab-file-name': path.split('/').at(-1) ?? path,
    'x-gitlab-ref': new URL(request.url).searchParams.get('ref') ?? 'HEAD',
    'x-gitlab-size': String(bytes.length),
  };
}

const ROLES = ['guest', 'developer', 'maintainer', 'owner'] as const;
function rank(role: FakeGitlab | (typeof ROLES)[number]): number {
  return ROLES.indexOf(typeof role === 'string' ? role : (role.options.role ?? 'owner'));
}

function withProject(
  request: Request,
  fake: FakeGitlab,
  id: unknown,
  jobTokenAllowed: boolean,
  answer: (project: FakeProject) => Response,
): Response {
  const caller = callerOf(request, fake, jobTokenAllowed);
  if (caller instanceof Response) return caller;
  const project = fake.project(String(id));
  if (project === undefined || caller === 'anonymous') return gitlabError(404, '404 Project Not Found');
  return answer(project);
}

function withGroup(request: Request, fake: FakeGitlab, id: unknown, answer: (group: FakeGroup) => Response): Response {
  const caller = callerOf(request, fake, false);
  if (caller instanceof Response) return caller;
  const group = fake.group(String(id));
  if (group === undefined || caller === 'anonymous') return gitlabError(404, '404 Group Not Found');
  return answer(group);
}

export function projectJson(fake: FakeGitlab, project: FakeProject): Record<string, unknown> {
  const segments = project.path.split('/');
  const namespacePath = segments.slice(0, -1).join('/');
  const group = fake.group(namespacePath);
  const name = segments.at(-1) ?? project.path;
  return {
    id: project.id,
    description: null,
    name,
    name_with_namespace: segments.join(' / '),
    path: name,
    path_with_namespace: project.path,
    created_at: '2024-01-01T00:00:00.000Z',
    // Left out for a token that may not read the code (lib/api/entities/basic_project_details.rb).
    ...(rank(fake) <= rank('guest') ? {} : { default_branch: project.defaultBranch }),
    visibility: 'private',
    web_url: `${fake.baseUrl}/${project.path}`,
    namespace: {
      id: group?.id ?? 1,
      name: namespacePath.split('/').at(-1),
      path: namespacePath.split('/').at(-1),
      kind: group === undefined ? 'user' : 'group',
      full_path: namespacePath,
      parent_id: group?.parentId ?? null,
      web_url: `${fake.baseUrl}/groups/${namespacePath}`,
    },
    ci_config_path: null,
    archived: false,
  };
}

export function groupJson(fake: FakeGitlab, group: FakeGroup): Record<string, unknown> {
  const name = group.fullPath.split('/').at(-1);
  return {
    id: group.id,
    web_url: `${fake.baseUrl}/groups/${group.fullPath}`,
    name,
    path: name,
    description: '',
    visibility: 'private',
    full_name: group.fullPath.split('/').join(' / '),
    full_path: group.fullPath,
    parent_id: group.parentId,
    created_at: '2024-01-01T00:00:00.000Z',
  };
}

function protectedBranchJson(name: string, index: number): Record<string, unknown> {
  const level = { id: index + 1, access_level: 40, access_level_description: 'Maintainers', user_id: null, group_id: null };
  return { id: index + 1, name, push_access_levels: [level], merge_access_levels: [level], allow_force_push: false, code_owner_approval_required: false };
}
