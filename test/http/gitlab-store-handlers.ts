/**
 * The GitLab endpoints `sync` reads besides those compose reads, for the fake instance: a
 * group's projects as API::Entities::Project shows them, with `ci_config_path`, `default_branch`
 * and `namespace` (docs "api/groups" #list-projects, include_subgroups, archived), its descendant
 * groups (docs "api/groups" #list-descendant-groups, every level), and a project's newest commit
 * (docs "api/commits", without `ref_name` the default branch). The fake's commit id is a digest
 * of the project's files, so it changes exactly when a file does.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { parseWorkspaceMetadata } from '../../src/sources/workspace/metadata.js';
import { groupJson, projectJson } from './gitlab-handlers.js';
import { loadFakeGitlab, type FakeGitlab, type FakeGitlabOptions, type FakeGroup } from './gitlab-instance.js';
import { callerOf, gitlabError, jsonResponse, paginated } from './gitlab-responses.js';

export interface StoreHandlerOptions extends FakeGitlabOptions {
  /** Projects shared with a group from elsewhere, by group path: GitLab lists them too (`with_shared` defaults to true). */
  readonly sharedWith?: Readonly<Record<string, readonly string[]>>;
}

export function gitlabStoreHandlersFor(workspaceDir: string, options: StoreHandlerOptions = {}): RequestHandler[] {
  const fake = loadFakeGitlab(workspaceDir, options);
  const metadata = parseWorkspaceMetadata(readFileSync(join(realpathSync(workspaceDir), 'workspace.yml'), 'utf8'), 'workspace.yml');
  // Built once per group: the fake's projects do not change while it serves (10,000 projects, 100 pages).
  const listings = new Map<string, Record<string, unknown>[]>();
  const listingOf = (group: FakeGroup): Record<string, unknown>[] => {
    const cached = listings.get(group.fullPath);
    if (cached !== undefined) return cached;
    const projects = [...metadata.projects.entries()]
      .filter(([path]) => path.startsWith(`${group.fullPath}/`) || (options.sharedWith?.[group.fullPath] ?? []).includes(path))
      .flatMap(([path, known]) => {
        const project = fake.project(path);
        if (project === undefined) return [];
        const json: Record<string, unknown> = { ...projectJson(fake, project), ci_config_path: known.ciConfigPath ?? '', archived: false };
        return [json];
      })
      .sort((a, b) => Number(a['id']) - Number(b['id']));
    listings.set(group.fullPath, projects);
    return projects;
  };
  return [
    http.get(`${fake.apiUrl}/groups/:id/projects`, ({ request, params }) => {
      const denied = userOnly(request, fake);
      if (denied !== undefined) return denied;
      const group = fake.group(String(params['id']));
      if (group === undefined) return gitlabError(404, '404 Group Not Found');
      return paginated(request, listingOf(group));
    }),
    http.get(`${fake.apiUrl}/groups/:id/descendant_groups`, ({ request, params }) => {
      const denied = userOnly(request, fake);
      if (denied !== undefined) return denied;
      const group = fake.group(String(params['id']));
      if (group === undefined) return gitlabError(404, '404 Group Not Found');
      const namespaces = new Set([...metadata.projects.keys()].flatMap((path) => path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'))));
      const descendants = [...namespaces]
        .filter((path) => path.startsWith(`${group.fullPath}/`))
        .flatMap((path) => [fake.group(path)].filter((found): found is FakeGroup => found !== undefined))
        .sort((a, b) => a.id - b.id)
        .map((found) => groupJson(fake, found));
      return paginated(request, descendants);
    }),
    http.get(`${fake.apiUrl}/projects/:id/repository/commits`, ({ request, params }) => {
      const denied = userOnly(request, fake);
      if (denied !== undefined) return denied;
      const project = fake.project(String(params['id']));
      if (project === undefined) return gitlabError(404, '404 Project Not Found');
      const hash = createHash('sha1');
      for (const entry of fake.tree(project)) if (entry.type === 'blob') hash.update(entry.path).update(fake.file(project, entry.path) ?? '');
      return jsonResponse(request, [{ id: hash.digest('hex'), short_id: 'x', title: 'head' }]);
    }),
  ];
}

function userOnly(request: Request, fake: FakeGitlab): Response | undefined {
  const caller = callerOf(request, fake, false);
  if (caller instanceof Response) return caller;
  return caller === 'anonymous' ? gitlabError(404, '404 Not Found') : undefined;
}

/**
 * Placed before the instance's GraphQL handler: the batched compliance-frameworks query answers
 * null for `hidden` (how GitLab resolves a project the token cannot read: the Project type
 * authorises read_project); every other query falls through.
 */
export function frameworksHiddenFor(baseUrl: string, hidden: readonly string[]): RequestHandler {
  return http.post(`${baseUrl}/api/graphql`, async ({ request }) => {
    const body = (await request.clone().json()) as { query?: string; variables?: Record<string, string> };
    if (!(body.query ?? '').startsWith('query ProjectsComplianceFrameworks')) return undefined;
    const data = Object.fromEntries(Object.entries(body.variables ?? {}).map(([alias, path]) => [alias, hidden.includes(path) ? null : { complianceFrameworks: { nodes: [] } }]));
    return HttpResponse.json({ data });
  });
}
