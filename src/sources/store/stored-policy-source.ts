/**
 * `--policies-from store`: the policy projects as last synced, in front of the run's own source.
 * Each policy project's policy.yml and every file its current policy versions include come from
 * the store (one query, made by the caller); everything else (the project's own configuration,
 * templates) still comes from the run's source. A policy project the store does not have is an
 * error, not a fallback: composing without policies that should apply must fail closed.
 */
import { SourceError } from '../../errors.js';
import { POLICY_FILE_PATH } from '../../policies/validate-policy-file.js';
import type { StoredPolicyProject } from '../../store/policy-reads.js';
import type { ProjectMetadata, Source } from '../source.js';

export function createStoredPolicySource(requested: readonly string[], stored: readonly StoredPolicyProject[], fallback: Source): Source {
  const byPath = new Map(stored.map((project) => [project.path, project]));
  const missing = requested.filter((path) => !byPath.has(path));
  if (missing.length > 0) {
    throw new SourceError('store-policy-project-missing', `the policy store has no synced copy of security policy project ${missing.join(', ')}`, {
      hint: 'Run policy-sidecar sync with --policy-project for it, or compose with --policies-from api.',
    });
  }
  const files = new Map<string, string>();
  const key = (project: string, path: string, ref: string | undefined | null): string => `${project}\u0000${path.replace(/^\/+/, '')}\u0000${ref ?? ''}`;
  for (const project of stored) {
    files.set(key(project.path, POLICY_FILE_PATH, undefined), project.policyFile);
    for (const version of project.versions) for (const file of version.files) files.set(key(file.project, file.path, file.ref), file.text);
  }
  return {
    async readFile(project, path, ref) {
      return files.get(key(project, path, ref)) ?? fallback.readFile(project, path, ref);
    },
    listFiles: (project, ref) => fallback.listFiles(project, ref),
    readTemplate: (name) => fallback.readTemplate(name),
    async readProject(path): Promise<ProjectMetadata | undefined> {
      const policyProject = byPath.get(path);
      if (policyProject === undefined || !requested.includes(path)) return fallback.readProject(path);
      // All compose asks of a policy project is that it exists and its id (the job suffix).
      return { id: policyProject.gitlabId, path, defaultBranch: 'the default branch', protectedBranches: [], complianceFrameworks: [], groups: [] };
    },
    openMergeRequests: (project, sourceBranch) => fallback.openMergeRequests(project, sourceBranch),
  };
}
