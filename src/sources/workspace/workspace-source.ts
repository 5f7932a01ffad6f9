/**
 * The offline source (SPEC §6 "Workspace mode"): `DIR/<project path>/` is that project's
 * repository at the pipeline's ref, `DIR/workspace.yml` holds the metadata GitLab's API would
 * give. Refs are not modelled: every ref of a project reads the same folder (see README.md here).
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { decodeUtf8 } from '../../ci/decode-utf8.js';
import { SourceError } from '../../errors.js';
import { insideOrThrow, listTree, readRegularFile } from '../files.js';
import type { OpenMergeRequest, ProjectMetadata, Source } from '../source.js';
import { DEFAULT_SERVER_HOST, DEFAULT_TEMPLATES_DIR, parseWorkspaceMetadata, type WorkspaceMetadata } from './metadata.js';

export interface WorkspaceSource extends Source {
  readonly root: string;
  readonly metadata: WorkspaceMetadata;
  /** The folder holding a project's files (it may not exist). */
  projectDir(project: string): string;
}

export async function openWorkspace(dir: string): Promise<WorkspaceSource> {
  const root = resolve(dir);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new SourceError('workspace-missing', `workspace ${dir} is not a directory`, {
      hint: 'Pass --workspace DIR with one folder per project path (see docs/workspace.md).',
    });
  }
  const metadataFile = join(root, 'workspace.yml');
  const metadataBytes = await readFile(metadataFile).catch(() => undefined);
  const metadataShown = relative(process.cwd(), metadataFile) || 'workspace.yml';
  const metadata: WorkspaceMetadata =
    metadataBytes === undefined
      ? { projects: new Map(), templatesDir: DEFAULT_TEMPLATES_DIR, serverHost: DEFAULT_SERVER_HOST }
      : parseWorkspaceMetadata(decodeUtf8(metadataBytes, metadataShown), metadataShown);
  const fileLists = new Map<string, Promise<readonly string[]>>();

  const projectDir = (project: string): string => insideOrThrow(root, project, project);

  return {
    root,
    metadata,
    projectDir,
    async readFile(project, path) {
      const dirOfProject = projectDir(project);
      const target = insideOrThrow(dirOfProject, path, `${project}:${path}`);
      return readRegularFile(target, dirOfProject, `${project}:${path}`);
    },
    listFiles(project) {
      let list = fileLists.get(project);
      if (list === undefined) {
        list = listTree(projectDir(project));
        fileLists.set(project, list);
      }
      return list;
    },
    async readTemplate(name) {
      const dirOfTemplates = insideOrThrow(root, metadata.templatesDir, metadata.templatesDir);
      const target = insideOrThrow(dirOfTemplates, name, `template ${name}`);
      return readRegularFile(target, dirOfTemplates, target);
    },
    async readProject(path): Promise<ProjectMetadata | undefined> {
      const known = metadata.projects.get(path);
      const folder = await stat(projectDir(path)).catch(() => undefined);
      if (known === undefined && !folder?.isDirectory()) return undefined;
      return {
        id: known?.id ?? stableProjectId(path),
        path,
        defaultBranch: known?.defaultBranch ?? 'main',
        protectedBranches: known?.protectedBranches ?? [known?.defaultBranch ?? 'main'],
        complianceFrameworks: known?.complianceFrameworks ?? [],
        groups: known?.groups ?? [],
      };
    },
    async openMergeRequests(project, sourceBranch): Promise<readonly OpenMergeRequest[]> {
      // Only `opened` counts, as GitLab's `state=opened` (reference §5.1: target_default/target_protected).
      return (metadata.projects.get(project)?.mergeRequests ?? [])
        .filter((request) => request.state === 'opened' && request.sourceBranch === sourceBranch)
        .map((request) => ({ iid: request.iid, targetBranch: request.targetBranch }))
        .sort((a, b) => a.iid - b.iid);
    },
  };
}

/** FNV-1a of the path: a stable id for projects that workspace.yml does not list. */
export function stableProjectId(path: string): number {
  let hash = 0x811c9dc5;
  for (const char of path) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 900_000) + 100_000;
}
