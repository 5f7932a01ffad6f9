/**
 * A fake GitLab instance built from a workspace folder (SPEC §6 "Workspace mode"): each project
 * of workspace.yml is a GitLab project whose repository is its folder and whose merge requests
 * are its `merge_requests` list; groups are the project paths' namespaces, their ids taken from
 * the projects' `groups` lists (top-most first). The handlers in gitlab-handlers.ts answer from
 * this model in GitLab's REST and GraphQL shapes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseWorkspaceMetadata, type WorkspaceMergeRequest } from '../../src/sources/workspace/metadata.js';
import { stableProjectId } from '../../src/sources/workspace/workspace-source.js';

export type Tier = 'free' | 'premium' | 'ultimate';

export interface FakeGitlabOptions {
  /** Where the handlers listen; the API is `${baseUrl}/api/v4`, GraphQL `${baseUrl}/api/graphql`. */
  readonly baseUrl?: string;
  /** The one personal/project access token accepted as PRIVATE-TOKEN; any other is revoked (401). */
  readonly token?: string;
  /** A CI_JOB_TOKEN, accepted as JOB-TOKEN only where GitLab accepts one (docs "ci/jobs/ci_job_token"). */
  readonly jobToken?: string;
  /** Free has no compliance frameworks, group protected branches or security policies. */
  readonly tier?: Tier;
  /** Security policy project linked to a group or project, by full path. */
  readonly securityPolicyProjects?: Readonly<Record<string, string>>;
  /** The running CI job whose CI_JOB_TOKEN is `job.token`: `GET /job` answers with it. */
  readonly job?: FakeJob;
  /** Group-level protected branches of top-level groups (Premium, self-managed). */
  readonly groupProtectedBranches?: Readonly<Record<string, readonly string[]>>;
  /** The token user's role in every project and group; `owner` by default. */
  readonly role?: 'guest' | 'developer' | 'maintainer' | 'owner';
  /** Older GitLab: listing a project's protected branches needs Maintainer (lib/api/protected_branches.rb `before { authorize_admin_project }`; newer: `authorize_read_code!`). */
  readonly protectedBranchesNeedMaintainer?: boolean;
  /** Projects that exist but the token may not read: GraphQL resolves a link to them as null. */
  readonly unreadableProjects?: readonly string[];
  /** Branches besides the default branch and the protected names, by project path. */
  readonly branches?: Readonly<Record<string, readonly string[]>>;
}

/** A running job, as GitLab's `GET /job` presents it (Entities::Ci::Job with its PipelineBasic). */
export interface FakeJob {
  /** Its CI_JOB_TOKEN, the only one `GET /job` accepts. */
  readonly token: string;
  readonly id: number;
  /** Full path of the pipeline's project (a project of the workspace). */
  readonly project: string;
  readonly pipelineId: number;
  /** GitLab's pipeline source: push, merge_request_event, schedule... */
  readonly source: string;
  /** A branch, a tag (with `tag: true`) or refs/merge-requests/<iid>/head. */
  readonly ref: string;
  readonly tag?: boolean;
  readonly sha: string;
}

export interface FakeProject {
  readonly id: number;
  readonly path: string;
  readonly dir: string;
  readonly defaultBranch: string;
  readonly protectedBranches: readonly string[];
  readonly complianceFrameworks: readonly number[];
  /** The merge requests targeting the project (workspace.yml `merge_requests`), every state. */
  readonly mergeRequests: readonly WorkspaceMergeRequest[];
}

export interface FakeGroup {
  readonly id: number;
  readonly fullPath: string;
  readonly parentId: number | null;
}

export interface TreeEntry {
  readonly id: string;
  readonly name: string;
  readonly type: 'tree' | 'blob';
  readonly path: string;
  readonly mode: string;
}

export interface FakeGitlab {
  readonly baseUrl: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly token: string;
  readonly jobToken: string | undefined;
  readonly tier: Tier;
  readonly options: FakeGitlabOptions;
  /** By numeric id (as text) or full path, as GitLab's `:id` accepts both. */
  project(id: string): FakeProject | undefined;
  group(id: string): FakeGroup | undefined;
  /** A file's bytes, undefined when missing (no path may leave the project). */
  file(project: FakeProject, path: string): Buffer | undefined;
  /** Every entry of the repository, folders included, as `recursive=true` lists them. */
  tree(project: FakeProject): readonly TreeEntry[];
  template(key: string): string | undefined;
}

export const DEFAULT_TOKEN = 'glpat-fake-token-0123456789';

export function loadFakeGitlab(workspaceDir: string, options: FakeGitlabOptions = {}): FakeGitlab {
  const root = realpathSync(workspaceDir);
  const metadata = parseWorkspaceMetadata(readFileSync(join(root, 'workspace.yml'), 'utf8'), 'workspace.yml');
  const projects = new Map<string, FakeProject>();
  const groups = new Map<string, FakeGroup>();
  for (const [path, known] of metadata.projects) {
    const defaultBranch = known.defaultBranch ?? 'main';
    projects.set(path, {
      id: known.id ?? stableProjectId(path),
      path,
      dir: join(root, path),
      defaultBranch,
      protectedBranches: known.protectedBranches ?? [defaultBranch],
      complianceFrameworks: known.complianceFrameworks ?? [],
      mergeRequests: known.mergeRequests ?? [],
    });
    const prefixes = path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'));
    let parentId: number | null = null;
    prefixes.forEach((fullPath, index) => {
      const id = groups.get(fullPath)?.id ?? known.groups?.[index] ?? stableProjectId(`group:${fullPath}`);
      groups.set(fullPath, { id, fullPath, parentId });
      parentId = id;
    });
  }
  const byId = <T extends { readonly id: number }>(items: Map<string, T>, id: string): T | undefined =>
    /^\d+$/.test(id) ? [...items.values()].find((item) => item.id === Number(id)) : items.get(id);
  const baseUrl = options.baseUrl ?? 'http://gitlab.test';
  const templatesDir = join(root, metadata.templatesDir);
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/v4`,
    graphqlUrl: `${baseUrl}/api/graphql`,
    token: options.token ?? DEFAULT_TOKEN,
    jobToken: options.jobToken,
    tier: options.tier ?? 'ultimate',
    options,
    project: (id) => byId(projects, id),
    group: (id) => byId(groups, id),
    file: (project, path) => readInside(project.dir, path),
    tree: (project) => listEntries(project.dir),
    template: (key) => readInside(templatesDir, `${key}.gitlab-ci.yml`)?.toString('utf8'),
  };
}

function readInside(dir: string, path: string): Buffer | undefined {
  const target = join(dir, path);
  if (relative(dir, target).startsWith('..')) return undefined;
  try {
    const real = realpathSync(target);
    if (!real.startsWith(realpathSync(dir) + sep) || !statSync(real).isFile()) return undefined;
    return readFileSync(real);
  } catch {
    return undefined;
  }
}

/** A blob's git object id, as GitLab's tree API and X-Gitlab-Blob-Id give it: SHA-1 of `blob <size>\0` and the bytes. */
function gitBlobId(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = Buffer.alloc(0);
  }
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function listEntries(dir: string): TreeEntry[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .map((entry) => {
      const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
      const type = entry.isDirectory() ? ('tree' as const) : ('blob' as const);
      const mode = entry.isDirectory() ? '040000' : entry.isSymbolicLink() ? '120000' : '100644';
      return { id: type === 'blob' ? gitBlobId(join(entry.parentPath, entry.name)) : createHash('sha1').update(`${type}:${path}`).digest('hex'), name: entry.name, type, path, mode };
    })
    .filter((entry) => entry.path !== '.git' && !entry.path.startsWith('.git/'))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
