/**
 * The GitLab API source (SPEC §6: without --workspace, sources are the GitLab API): the whole
 * Source interface over GitLab's REST API through gitbeaker, plus the linked security policy
 * projects over GraphQL. See docs/gitlab-api.md for every call, its token scope and when it is
 * made, and README.md here for the limits.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import type { ProjectMetadata, Source } from '../source.js';
import { readCiTemplate, type CiTemplatesLocation } from './ci-templates.js';
import { loadGitbeakerApi } from './gitbeaker-requester.js';
import { createGitlabApi } from './gitlab-api.js';
import { linkedPolicyProjects } from './gitlab-graphql.js';
import { createGitlabTransport } from './gitlab-transport.js';
import { namespacePathsOf, readProjectHierarchy, type ProjectHierarchy } from './project-hierarchy.js';
import { createResponseCache, type CacheFileSystem } from './response-cache.js';

export interface GitlabSourceOptions {
  readonly client: HttpClient;
  /** Keeps responses by ETag across runs; none when undefined. */
  readonly cacheDir?: string | undefined;
  /** The file operations of the cache (tests); node:fs by default. */
  readonly fs?: CacheFileSystem;
  /** Where include:template is read (`--ci-templates`); the templates API for flat names when undefined. */
  readonly ciTemplates?: CiTemplatesLocation | undefined;
}

export interface GitlabSource extends Source {
  /**
   * Security policy projects linked to the project and its groups, top-most group first. Their
   * metadata and policy files are read before the answer, for the reads that follow.
   */
  policyProjectsOf(projectPath: string): Promise<string[]>;
}

/** Where GitLab reads a security policy project's policies (reference §1.1), as the core does. */
const POLICY_FILE = '.gitlab/security-policies/policy.yml';

export function createGitlabSource(options: GitlabSourceOptions): GitlabSource {
  const cache = options.cacheDir === undefined ? undefined : createResponseCache(options.cacheDir, options.fs);
  const transport = createGitlabTransport(options.client, cache);
  const api = createGitlabApi(() => loadGitbeakerApi(transport), transport);
  const hierarchies = new Map<string, Promise<ProjectHierarchy | undefined>>();
  const hierarchyOf = (path: string): Promise<ProjectHierarchy | undefined> => {
    let hierarchy = hierarchies.get(path);
    if (hierarchy === undefined) {
      hierarchy = readProjectHierarchy(api, transport, path);
      hierarchies.set(path, hierarchy);
    }
    return hierarchy;
  };

  /**
   * The core reads each policy project's metadata, then its policy file (compose, then
   * policies/load-policies): asked for together here, they take one round instead of two
   * (docs/gitlab-api.md "Composing the example"). The answers stay memoised for the core,
   * failures included, so the core reports them as before (and `--fail-open` still applies);
   * here they are only waited for.
   */
  const prefetchPolicyProjects = async (paths: readonly string[], pipelineProject: string): Promise<void> => {
    const reads = paths.flatMap((path) => [
      hierarchyOf(path),
      // A project that is its own policy project has its policy file read from the job's checkout.
      ...(path === pipelineProject ? [] : [api.rawFile(path, POLICY_FILE, undefined)]),
    ]);
    await Promise.allSettled(reads);
  };

  return {
    async readFile(project, path, ref) {
      const file = path.replace(/^\/+/, '');
      // The path is one encoded segment: alone, `.` or `..` would be read as a URL dot segment.
      if (file === '' || file === '.' || file === '..') return undefined;
      return api.rawFile(project, file, ref);
    },
    async listFiles(project, ref) {
      return ((await api.tree(project, ref)) ?? []).sort();
    },
    readTemplate(name) {
      return readCiTemplate(name, options.ciTemplates, { projectFile: (project, path, ref) => api.rawFile(project, path, ref), api: (key) => api.template(key) });
    },
    async readProject(path): Promise<ProjectMetadata | undefined> {
      return (await hierarchyOf(path))?.metadata;
    },
    async policyProjectsOf(projectPath) {
      // The links query names the ancestor groups. Sent now with the groups the path names, it
      // goes out in the round of the project's own reads; the query below, with the groups GitLab
      // gives, is the same one (the transport memoises it) unless the project moved or lives in a
      // personal namespace (whose "group" GraphQL cannot see): then it costs one more request.
      linkedPolicyProjects(transport, projectPath, namespacePathsOf(projectPath)).catch(() => undefined);
      const hierarchy = await hierarchyOf(projectPath);
      // No project, no answer: an empty list would run the pipeline without its policies.
      if (hierarchy === undefined) {
        throw new SourceError('gitlab-project-not-found', `GitLab shows no project ${projectPath}: its security policy projects cannot be listed`, {
          hint: 'Check the project path and that the token can read it (POLICY_SIDECAR_TOKEN with scope read_api; CI_JOB_TOKEN cannot).',
        });
      }
      const paths = await linkedPolicyProjects(transport, hierarchy.metadata.path, hierarchy.groupPaths);
      // None linked: the caller's zero-policies rule (cli/no-policies-rule.ts) fails the run. A link
      // to a project the token cannot read comes back from GraphQL as `securityPolicyProject: null`,
      // exactly as no link does (the Project type authorises read_project), so it lands there too.
      await prefetchPolicyProjects(paths, projectPath);
      return paths;
    },
    openMergeRequests(project, sourceBranch) {
      // Memoised per run by the transport, page by page, like every GET.
      return api.openMergeRequests(project, sourceBranch);
    },
  };
}
