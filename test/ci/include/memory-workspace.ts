/**
 * An in-memory implementation of our Source, RemoteFetcher and RepositoryFacts interfaces for
 * include tests: plain objects over a map of files, no mocks of our own code.
 */
import { SourceError } from '../../../src/errors.js';
import type { RepositoryFacts } from '../../../src/ci/context.js';
import type { ProjectMetadata, RemoteFetcher, Source } from '../../../src/sources/source.js';

export interface MemoryWorkspace {
  /** Keyed by `group/project` (default ref) or `group/project@ref`; values map paths to text. */
  readonly projects: Record<string, Record<string, string>>;
  /** Template name → text. */
  readonly templates: Record<string, string>;
  /** URL → text. */
  readonly remote: Record<string, string>;
  /** Paths changed in the pipeline, for rules:changes; undefined when unknown. */
  readonly changed?: readonly string[];
}

export function createMemorySource(workspace: MemoryWorkspace): Source & { readonly reads: string[] } {
  const reads: string[] = [];
  const files = (project: string, ref: string | undefined): Record<string, string> | undefined =>
    workspace.projects[ref === undefined ? project : `${project}@${ref}`];
  return {
    reads,
    async readFile(project, path, ref) {
      reads.push(`${project}:${path}${ref === undefined ? '' : `@${ref}`}`);
      return files(project, ref)?.[path];
    },
    async listFiles(project, ref) {
      return Object.keys(files(project, ref) ?? {}).sort();
    },
    async readTemplate(name) {
      return workspace.templates[name];
    },
    async readProject(path): Promise<ProjectMetadata | undefined> {
      const exists = Object.keys(workspace.projects).some((key) => key === path || key.startsWith(`${path}@`));
      if (!exists) return undefined;
      return { id: 1, path, defaultBranch: 'main', protectedBranches: [], complianceFrameworks: [], groups: [] };
    },
    async openMergeRequests() {
      return [];
    },
  };
}

export function createMemoryFetcher(workspace: MemoryWorkspace): RemoteFetcher & { readonly fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    async fetchText(url) {
      fetched.push(url);
      const text = workspace.remote[url];
      if (text === undefined) {
        throw new SourceError('remote-status', `Remote file \`${url}\` could not be fetched because of HTTP code \`404\` error!`);
      }
      return text;
    },
  };
}

export function createMemoryFacts(workspace: MemoryWorkspace, pipelineProject: string): RepositoryFacts {
  return {
    async changedPaths() {
      return workspace.changed;
    },
    async projectFiles(project, ref) {
      const key = (project ?? pipelineProject) + (ref === undefined ? '' : `@${ref}`);
      return Object.keys(workspace.projects[key] ?? {}).sort();
    },
  };
}
