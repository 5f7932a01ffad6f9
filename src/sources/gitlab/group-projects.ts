/**
 * The projects of a group and its subgroups for `sync`, with what the store keeps of each read
 * in bulk rather than per project (issue #15: a sync of 10,000 projects):
 * - `GET /groups/:id/projects?include_subgroups=true` (docs "api/groups" #list-projects; entity
 *   API::Entities::Project): id, path, `default_branch`, `ci_config_path`, `namespace.id`, 100 a
 *   page; archived projects are left out, as policies do not run there;
 * - the group, its ancestors and `GET /groups/:id/descendant_groups`: every namespace's id and
 *   parent, so a project's ancestor group ids follow from its `namespace.id` alone;
 * - compliance framework ids by GraphQL, FRAMEWORK_BATCH projects a query (the REST entity has
 *   framework names only, and policy_scope names ids).
 * A project whose namespace is not in that tree (one shared into the group from elsewhere) has no
 * `known`: sync reads it alone, as it reads any project.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { FRAMEWORK_BATCH } from '../../fleet/with-frameworks.js';
import { createFleetApi, type FleetGroup, type FleetProject } from './fleet-api.js';

/** What the store keeps of a project, as the listing and the bulk reads told it. */
export interface KnownProject {
  readonly id: number;
  /** Ancestor group ids, top-most first. */
  readonly groups: readonly number[];
  readonly frameworks: readonly number[];
  readonly defaultBranch: string;
}

export interface GroupProject {
  readonly path: string;
  /** null when the project uses the default `.gitlab-ci.yml`. */
  readonly ciConfigPath: string | null;
  /** undefined: to be read per project (its namespace is outside the group's tree). */
  readonly known?: KnownProject;
}

export interface GroupProjectsOptions {
  /** Projects left out (the policy projects, synced on their own). */
  readonly except?: readonly string[];
  /** GraphQL queries in flight at once. */
  readonly concurrency?: number;
}

export async function listGroupProjects(client: HttpClient, group: string, options: GroupProjectsOptions = {}): Promise<GroupProject[]> {
  const api = createFleetApi(client);
  const root = await api.group(group);
  if (root === undefined) {
    throw new SourceError('gitlab-group-not-found', `GitLab shows no group ${group}`, { hint: 'Check --group and that the token (scope read_api) can read the group.' });
  }
  const groups = new Map<number, FleetGroup>([[root.id, root]]);
  // The group's own ancestors: a project's group ids start at the top-level group.
  for (let parent = root.parentId; parent !== null && !groups.has(parent); ) {
    const ancestor = await api.group(String(parent));
    if (ancestor === undefined) break;
    groups.set(ancestor.id, ancestor);
    parent = ancestor.parentId;
  }
  for await (const descendant of api.descendantGroups(group)) groups.set(descendant.id, descendant);

  const except = new Set(options.except ?? []);
  const listed: FleetProject[] = [];
  for await (const project of api.groupProjects(group, undefined)) {
    if (!except.has(project.path)) listed.push(project);
  }
  const chains = listed.map((project) => groupChain(groups, project.namespaceId));
  const inTree = listed.filter((_, index) => chains[index] !== undefined);
  const frameworks = await frameworksOf(api, inTree, options.concurrency ?? 8);

  const projects = listed.map((project, index): GroupProject => {
    // Both fields need read_code (lib/api/entities/basic_project_details.rb, project.rb): the
    // token sees the project but not what the store needs of it.
    if (project.ciConfigPath === undefined) {
      throw new SourceError('gitlab-code-not-readable', `the token can see project ${project.path} but not its code`, {
        hint: 'GitLab hides the repository from Guests and when the repository feature is limited to members: give POLICY_SIDECAR_TOKEN at least the Reporter role on the project.',
      });
    }
    // GitLab answers "" for a project that never set it.
    const ciConfigPath = project.ciConfigPath === '' ? null : project.ciConfigPath;
    const chain = chains[index];
    const ids = frameworks.get(project.path);
    if (chain === undefined || ids === undefined) return { path: project.path, ciConfigPath };
    // A project without a repository has no default branch yet: GitLab's own default name.
    return { path: project.path, ciConfigPath, known: { id: project.id, groups: chain, frameworks: ids, defaultBranch: project.defaultBranch ?? 'main' } };
  });
  return projects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Group ids from the top-level group down to `namespaceId`; undefined when a link is missing. */
function groupChain(groups: ReadonlyMap<number, FleetGroup>, namespaceId: number): number[] | undefined {
  const chain: number[] = [];
  for (let id: number | null = namespaceId; id !== null; ) {
    const found = groups.get(id);
    if (found === undefined || chain.length > 20) return undefined;
    chain.unshift(found.id);
    id = found.parentId;
  }
  return chain;
}

async function frameworksOf(api: ReturnType<typeof createFleetApi>, projects: readonly FleetProject[], concurrency: number): Promise<Map<string, readonly number[]>> {
  const batches: string[][] = [];
  for (let at = 0; at < projects.length; at += FRAMEWORK_BATCH) batches.push(projects.slice(at, at + FRAMEWORK_BATCH).map((project) => project.path));
  const found = new Map<string, readonly number[]>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      for (const [path, ids] of await api.complianceFrameworks(batch)) {
        // policy_scope decisions depend on them: a project GraphQL cannot see fails the sync.
        if (ids === 'unreadable') {
          throw new SourceError('gitlab-graphql-not-visible', `POST /api/graphql cannot see the compliance frameworks of project ${path}`, {
            hint: 'GraphQL does not accept CI_JOB_TOKEN: set POLICY_SIDECAR_TOKEN to a token with scope read_api that can read the project.',
          });
        }
        found.set(path, ids);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, batches.length)) }, worker));
  return found;
}
