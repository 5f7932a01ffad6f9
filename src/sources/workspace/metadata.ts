/**
 * `workspace.yml`: project metadata that GitLab's API would otherwise give (SPEC §6). Every
 * field is optional; a project folder without an entry gets an id derived from nothing but its
 * position in the sorted project list, so runs stay deterministic.
 */
import { parseDocument } from 'yaml';
import { UsageError } from '../../errors.js';
import type { ProjectMetadata } from '../source.js';

/** GitLab's merge request states (docs "api/merge_requests", `state`). */
export const MERGE_REQUEST_STATES = ['opened', 'closed', 'locked', 'merged'] as const;
export type MergeRequestState = (typeof MERGE_REQUEST_STATES)[number];

/** One merge request of a project's `merge_requests` list (the project is its target project). */
export interface WorkspaceMergeRequest {
  readonly iid: number;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly state: MergeRequestState;
}

/** A project entry of workspace.yml: the metadata it states, and its merge requests. */
export type WorkspaceProject = Partial<Omit<ProjectMetadata, 'path'>> & {
  readonly mergeRequests?: readonly WorkspaceMergeRequest[];
  /** The project's CI/CD configuration file setting (GitLab's `ci_config_path`), e.g. `pipeline.yml@platform/ci`. */
  readonly ciConfigPath?: string;
};

export interface WorkspaceMetadata {
  readonly projects: ReadonlyMap<string, WorkspaceProject>;
  /** Folder (relative to the workspace) holding GitLab CI templates for `include:template`. */
  readonly templatesDir: string;
  /** Host name that `include:component` addresses must use (CI_SERVER_FQDN). */
  readonly serverHost: string;
}

export const DEFAULT_TEMPLATES_DIR = '.gitlab-ci-templates';
export const DEFAULT_SERVER_HOST = 'gitlab.example.com';

export function parseWorkspaceMetadata(text: string, file: string): WorkspaceMetadata {
  const document = parseDocument(text, { prettyErrors: false });
  const problem = document.errors[0];
  if (problem !== undefined) {
    const position = problem.linePos?.[0];
    throw new UsageError('workspace-yaml', `invalid YAML: ${problem.message.split('\n')[0] ?? ''}`, {
      location: { file, line: position?.line, column: position?.col },
    });
  }
  const root: unknown = document.toJS() ?? {};
  const fail = (message: string): never => {
    throw new UsageError('workspace-metadata', message, {
      location: { file },
      hint: 'See "Workspace mode" in docs/workspace.md for the format.',
    });
  };
  if (!isRecord(root)) return fail('workspace.yml must be a mapping');
  for (const key of Object.keys(root)) {
    if (!['projects', 'templates_dir', 'server_host'].includes(key)) fail(`unknown key ${key}`);
  }
  const projects = new Map<string, WorkspaceProject>();
  const rawProjects = root['projects'] ?? {};
  if (!isRecord(rawProjects)) return fail('projects must be a mapping of project paths');
  for (const [path, raw] of Object.entries(rawProjects)) {
    projects.set(path, readProject(path, raw ?? {}, fail));
  }
  const templatesDir = root['templates_dir'] ?? DEFAULT_TEMPLATES_DIR;
  const serverHost = root['server_host'] ?? DEFAULT_SERVER_HOST;
  if (typeof templatesDir !== 'string') fail('templates_dir must be a string');
  if (typeof serverHost !== 'string') fail('server_host must be a string');
  return { projects, templatesDir: templatesDir as string, serverHost: serverHost as string };
}

function readProject(
  path: string,
  raw: unknown,
  fail: (message: string) => never,
): WorkspaceProject {
  if (!isRecord(raw)) return fail(`projects.${path} must be a mapping`);
  const result: { -readonly [K in keyof WorkspaceProject]?: WorkspaceProject[K] } = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'id':
        if (!Number.isInteger(value)) fail(`projects.${path}.id must be an integer`);
        result.id = value as number;
        break;
      case 'default_branch':
        if (typeof value !== 'string') fail(`projects.${path}.default_branch must be a string`);
        result.defaultBranch = value as string;
        break;
      case 'protected_branches':
        result.protectedBranches = stringList(value, `projects.${path}.protected_branches`, fail);
        break;
      case 'compliance_frameworks':
        result.complianceFrameworks = integerList(value, `projects.${path}.compliance_frameworks`, fail);
        break;
      case 'groups':
        result.groups = integerList(value, `projects.${path}.groups`, fail);
        break;
      case 'ci_config_path':
        if (typeof value !== 'string') fail(`projects.${path}.ci_config_path must be a string`);
        result.ciConfigPath = value as string;
        break;
      case 'merge_requests':
        result.mergeRequests = mergeRequestList(value, `projects.${path}.merge_requests`, fail);
        break;
      default:
        fail(`projects.${path}: unknown key ${key}`);
    }
  }
  return result;
}

function mergeRequestList(value: unknown, name: string, fail: (message: string) => never): WorkspaceMergeRequest[] {
  if (!Array.isArray(value)) return fail(`${name} must be a list of merge requests`);
  const seen = new Set<number>();
  return value.map((raw: unknown, index) => {
    const at = `${name}[${index}]`;
    if (!isRecord(raw)) return fail(`${at} must be a mapping`);
    for (const key of Object.keys(raw)) {
      if (!['iid', 'source_branch', 'target_branch', 'state'].includes(key)) fail(`${at}: unknown key ${key}`);
    }
    const { iid, source_branch: sourceBranch, target_branch: targetBranch, state = 'opened' } = raw;
    if (!Number.isInteger(iid) || (iid as number) < 1) fail(`${at}.iid must be a positive integer`);
    if (seen.has(iid as number)) fail(`${at}.iid ${String(iid)} is listed twice`);
    seen.add(iid as number);
    if (typeof sourceBranch !== 'string' || sourceBranch === '') fail(`${at}.source_branch must be a branch name`);
    if (typeof targetBranch !== 'string' || targetBranch === '') fail(`${at}.target_branch must be a branch name`);
    if (!isMergeRequestState(state)) return fail(`${at}.state must be one of ${MERGE_REQUEST_STATES.join(', ')}`);
    // Checked above: fail() throws.
    return { iid: iid as number, sourceBranch: sourceBranch as string, targetBranch: targetBranch as string, state };
  });
}

function isMergeRequestState(value: unknown): value is MergeRequestState {
  return MERGE_REQUEST_STATES.some((state) => state === value);
}

function stringList(value: unknown, name: string, fail: (message: string) => never): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return fail(`${name} must be a list of strings`);
  return value as string[];
}

function integerList(value: unknown, name: string, fail: (message: string) => never): number[] {
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item))) return fail(`${name} must be a list of integers`);
  return value as number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
