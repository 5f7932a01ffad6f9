/**
 * `sync`: the policy projects and the projects in their scope → the store (SPEC §5, issue #15).
 * 1. Per policy project: its head commit, and those of the projects its current pipeline
 *    execution policies include, against what the store has; unchanged → nothing is read or
 *    written. Changed → the policy file through the usual loader (validated), each policy's
 *    content and digest, written in one transaction (store/policy-writes.ts).
 * 2. Every project's metadata, then the links, written in one transaction where they differ.
 * Reads come first and writes last, so a failed read writes nothing; a write cut off is repeated
 * whole by the next sync, since unchanged is judged by what was committed.
 */
import { loadPolicyFiles } from '../policies/load-policies.js';
import { DEFAULT_PEP_LIMITS, type PolicyLimits } from '../policies/select-policies.js';
import type { PolicyFile, PolicyProjectRef } from '../policies/types.js';
import { POLICY_FILE_PATH, validatePolicyFile } from '../policies/validate-policy-file.js';
import { SourceError } from '../errors.js';
import type { KnownProject } from '../sources/gitlab/group-projects.js';
import type { Source } from '../sources/source.js';
import type { PolicyStore } from '../store/open-store.js';
import { policyIdOf } from '../store/policy-id.js';
import type { StoredPolicyProject } from '../store/policy-reads.js';
import type { PolicyProjectSnapshot, PolicySnapshot } from '../store/policy-writes.js';
import type { ProjectSnapshot } from '../store/project-writes.js';
import type { HeadCommitReader } from './head-commits.js';
import { readPolicyContent } from './policy-content.js';
import { resolveLinks } from './resolve-links.js';
import { runBounded } from './run-bounded.js';

export interface ProjectToSync {
  readonly path: string;
  /** The project's CI/CD configuration file setting, when known. */
  readonly ciConfigPath: string | null;
  /** What a bulk read already told of the project (sources/gitlab/group-projects.ts): no read of its own. */
  readonly known?: KnownProject | undefined;
}

export interface SyncInput {
  readonly source: Source;
  readonly headCommit: HeadCommitReader;
  /** Hierarchy order, top-most group first. */
  readonly policyProjects: readonly string[];
  readonly projects: readonly ProjectToSync[];
  /** `pipeline.yml@platform/ci`: a project is enforced when its setting is this. Unknown when undefined. */
  readonly centralConfig: string | undefined;
  readonly limits?: PolicyLimits;
  readonly concurrency?: number;
}

export interface SyncOutcome {
  readonly policyProjects: readonly { readonly path: string; readonly changed: boolean; readonly versionsAdded: number }[];
  readonly projects: number;
  readonly projectsChanged: number;
  readonly linksAdded: number;
  readonly linksRemoved: number;
}

export async function syncStore(store: PolicyStore, input: SyncInput): Promise<SyncOutcome> {
  const concurrency = input.concurrency ?? 8;
  const stored = new Map((await store.readPolicyProjects(input.policyProjects)).map((project) => [project.path, project]));
  const read = await runBounded(input.policyProjects, concurrency, (path) => readPolicyProject(input, path, stored.get(path)));
  const projects = await runBounded(input.projects, concurrency, (project) => readProjectSnapshot(input, project));
  const written = [];
  for (const policyProject of read) {
    written.push(
      policyProject.snapshot === undefined
        ? { path: policyProject.file.policyProject.path, changed: false, versionsAdded: 0 }
        : { path: policyProject.file.policyProject.path, ...(await store.writePolicyProject(policyProject.snapshot)) },
    );
  }
  const digests = new Map(read.flatMap((policyProject) => [...policyProject.digests]));
  const links = resolveLinks(
    read.map((policyProject) => policyProject.file),
    digests,
    projects,
    input.limits ?? DEFAULT_PEP_LIMITS,
  );
  const linked = await store.writeProjectsAndLinks(projects, links, input.policyProjects);
  return { policyProjects: written, projects: projects.length, ...linked };
}

interface ReadPolicyProject {
  readonly file: PolicyFile;
  /** policy id → current digest. */
  readonly digests: ReadonlyMap<string, string>;
  /** undefined: unchanged since the store's copy. */
  readonly snapshot: PolicyProjectSnapshot | undefined;
}

async function readPolicyProject(input: SyncInput, path: string, stored: StoredPolicyProject | undefined): Promise<ReadPolicyProject> {
  if (stored !== undefined) {
    const watched = watchedProjectsOf(stored.versions.flatMap((version) => version.files));
    const key = await commitKey(input.headCommit, path, watched);
    if (key === stored.commitSha) {
      const ref: PolicyProjectRef = { path, id: stored.gitlabId };
      return {
        file: validatePolicyFile(stored.policyFile, `${path}:${POLICY_FILE_PATH}`, ref),
        digests: new Map(stored.versions.map((version) => [version.policyId, version.digest])),
        snapshot: undefined,
      };
    }
  }
  const metadata = await input.source.readProject(path);
  if (metadata === undefined) {
    throw new SourceError('policy-project-missing', `security policy project ${path} was not found`, {
      hint: 'Check the --policy-project path, and that the token can read the project.',
    });
  }
  const ref: PolicyProjectRef = { path, id: metadata.id };
  const [file] = await loadPolicyFiles(input.source, [ref]);
  const text = (await input.source.readFile(path, POLICY_FILE_PATH, undefined)) ?? '';
  const policies: PolicySnapshot[] = [];
  for (const loaded of (file as PolicyFile).policies) {
    const content = await readPolicyContent(text, loaded, (project, filePath, fileRef) => input.source.readFile(project, filePath, fileRef));
    policies.push({
      id: policyIdOf(path, loaded.policy.type, loaded.policy.name),
      type: loaded.policy.type,
      name: loaded.policy.name,
      position: loaded.index,
      enabled: loaded.policy.enabled,
      scope: loaded.policy.policyScope ?? null,
      digest: content.digest,
      yaml: content.yaml,
      files: content.files,
    });
  }
  const commitSha = await commitKey(input.headCommit, path, watchedProjectsOf(policies.flatMap((policy) => policy.files)));
  return {
    file: file as PolicyFile,
    digests: new Map(policies.map((policy) => [policy.id, policy.digest])),
    snapshot: { path, gitlabId: metadata.id, commitSha, policyFile: text, policies },
  };
}

/** Projects (and refs) whose files a policy includes, other than the policy project itself. */
function watchedProjectsOf(files: readonly { project: string; ref: string | null }[]): { project: string; ref: string | undefined }[] {
  const keys = new Set(files.map((file) => `${file.project}@${file.ref ?? ''}`));
  return [...keys].sort().map((key) => {
    const at = key.lastIndexOf('@');
    const ref = key.slice(at + 1);
    return { project: key.slice(0, at), ref: ref === '' ? undefined : ref };
  });
}

async function commitKey(headCommit: HeadCommitReader, path: string, watched: readonly { project: string; ref: string | undefined }[]): Promise<string> {
  // The policy project's own files at its default branch are covered by its head commit.
  const others = watched.filter((entry) => !(entry.project === path && entry.ref === undefined));
  const heads = await Promise.all(others.map(async (entry) => `${entry.project}@${entry.ref ?? ''}=${await headCommit(entry.project, entry.ref)}`));
  return [await headCommit(path, undefined), ...heads].join(' ');
}

async function readProjectSnapshot(input: SyncInput, project: ProjectToSync): Promise<ProjectSnapshot> {
  const enforced = input.centralConfig === undefined ? null : project.ciConfigPath === input.centralConfig;
  if (project.known !== undefined) {
    const { id, groups, frameworks, defaultBranch } = project.known;
    return { path: project.path, gitlabId: id, groups, frameworks, defaultBranch, ciConfigPath: project.ciConfigPath, enforced };
  }
  const metadata = await input.source.readProject(project.path);
  if (metadata === undefined) {
    throw new SourceError('project-not-found', `project ${project.path} was not found`, { hint: 'Check the project path and that the token can read it.' });
  }
  return {
    path: metadata.path,
    gitlabId: metadata.id,
    groups: metadata.groups,
    frameworks: metadata.complianceFrameworks,
    defaultBranch: metadata.defaultBranch,
    ciConfigPath: project.ciConfigPath,
    enforced,
  };
}
