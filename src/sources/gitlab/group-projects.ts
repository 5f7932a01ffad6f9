/**
 * The projects of a group and its subgroups with their CI/CD configuration file setting, for
 * `sync` (GET /groups/:id/projects?include_subgroups=true, docs "api/groups": `ci_config_path`
 * is in each project; archived projects are left out, as policies do not run there). 100 per page.
 */
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment } from '../../http/gitlab-paths.js';
import { checkResponse, nullable, object, optional, string } from './response-shape.js';

export interface GroupProject {
  readonly path: string;
  /** null when the project uses the default `.gitlab-ci.yml`. */
  readonly ciConfigPath: string | null;
}

const projectShape = object({ path_with_namespace: string, ci_config_path: optional(nullable(string)) });

export async function listGroupProjects(client: HttpClient, group: string): Promise<GroupProject[]> {
  const projects: GroupProject[] = [];
  const pages = client.paginate(`groups/${encodePathSegment(group)}/projects`, {
    query: { include_subgroups: true, archived: false, order_by: 'id', sort: 'asc', simple: false },
  });
  for await (const item of pages) {
    const project = checkResponse(projectShape, item, 'GET /groups/:id/projects');
    // GitLab answers "" for a project that never set it.
    projects.push({ path: project.path_with_namespace, ciConfigPath: project.ci_config_path === '' ? null : (project.ci_config_path ?? null) });
  }
  return projects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
