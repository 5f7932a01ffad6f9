/**
 * A project's metadata with its ancestor groups (reference §5.6: protected branches of project
 * and group, compliance framework ids, ancestor group ids). A project's namespace full path is
 * its path without the last segment, so every request is known up front and one round of
 * parallel requests usually answers all: the project, its protected branches, its compliance
 * frameworks, each ancestor group by path and the top-level group's protected branches. When the
 * groups found by path do not chain up to the project's namespace (the project was moved and
 * GitLab followed a redirect), the namespace is walked by `parent_id` instead.
 */
import { SourceError } from '../../errors.js';
import type { ProjectMetadata } from '../source.js';
import { absentOn, type GitlabApi, type GroupRecord } from './gitlab-api.js';
import { complianceFrameworksOf } from './gitlab-graphql.js';
import type { GitlabTransport } from './gitlab-transport.js';

export interface ProjectHierarchy {
  readonly metadata: ProjectMetadata;
  /** Ancestor group full paths, top-most first (empty for a personal namespace). */
  readonly groupPaths: readonly string[];
}

/** Ancestor namespace paths of `acme/platform/web`: `acme`, `acme/platform`. */
export function namespacePathsOf(projectPath: string): string[] {
  const segments = projectPath.split('/').slice(0, -1);
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

export async function readProjectHierarchy(api: GitlabApi, transport: GitlabTransport, path: string): Promise<ProjectHierarchy | undefined> {
  const prefixes = namespacePathsOf(path);
  const topLevel = prefixes[0];
  // One round: every request below depends only on the path. 404s of a group (a personal
  // namespace) and of group protected branches (tier, flag, sub-group) are absences.
  const [project, protectedBranches, frameworks, groupsByPath, topLevelBranches] = await Promise.all([
    api.project(path),
    settle(api.protectedBranches(path)),
    // GraphQL says "cannot see" for a project that does not exist: that only counts if it does.
    settle(absentOn([404], complianceFrameworksOf(transport, path))),
    Promise.all(prefixes.map((prefix) => api.group(prefix))),
    topLevel === undefined ? Promise.resolve([]) : api.groupProtectedBranches(topLevel),
  ]);
  if (project === undefined) return undefined;
  let groups: readonly GroupRecord[] = [];
  let groupBranches: string[] | undefined = topLevelBranches;
  if (project.namespace.kind === 'group') {
    groups = chainsTo(groupsByPath, project.namespace.id) ? groupsByPath : await walkGroups(api, project.namespace.id);
    const top = groups[0];
    if (top !== undefined && top.fullPath !== topLevel) groupBranches = await api.groupProtectedBranches(top.fullPath);
  } else {
    groupBranches = [];
  }
  // Group rules the token may not list (403) still protect branches: the branches API marks them.
  if (groupBranches === undefined) groupBranches = await api.branchesMarkedProtected(path);
  const defaultBranch = project.defaultBranch ?? 'main';
  return {
    metadata: {
      id: project.id,
      path: project.path,
      // A project without a repository has no default branch yet; GitLab's own default name.
      defaultBranch,
      protectedBranches: [...new Set([...unwrap(protectedBranches), ...groupBranches])],
      complianceFrameworks: unwrap(frameworks) ?? [],
      groups: groups.map((group) => group.id),
    },
    groupPaths: groups.map((group) => group.fullPath),
  };
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** An outcome kept for later: a failure counts only once the project is known to exist. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

/** Whether the groups, top-most first, are a complete chain ending at `namespaceId`. */
function chainsTo(groups: readonly (GroupRecord | undefined)[], namespaceId: number): groups is readonly GroupRecord[] {
  let parent: number | null = null;
  for (const group of groups) {
    if (group === undefined || group.parentId !== parent) return false;
    parent = group.id;
  }
  return parent === namespaceId;
}

/** The namespace and its ancestors by `parent_id`, one request per level, top-most first. */
async function walkGroups(api: GitlabApi, namespaceId: number): Promise<GroupRecord[]> {
  const chain: GroupRecord[] = [];
  let next: number | null = namespaceId;
  while (next !== null) {
    const group = await api.group(next);
    if (group === undefined || chain.some((seen) => seen.id === group.id) || chain.length > 20) {
      throw new SourceError('gitlab-group-not-visible', `GET /groups/${next} did not answer with an ancestor group`, {
        hint: "The token must read the project's groups (GitLab lets project members read them): check the token's membership.",
      });
    }
    chain.unshift(group);
    next = group.parentId;
  }
  return chain;
}
