/**
 * Which failures `--fail-open` may excuse: only those on the policy side, i.e. a security policy
 * project that cannot be read, an invalid policy file, or an invalid policy CI file whose inputs
 * the project does not control. Everything the project's configuration causes while policies
 * apply fails closed, or a project could switch its policies off by breaking its own YAML
 * (a stage order against a policy's, a job name that collides with a suffixed policy job, more
 * includes than a policy's `override_project_ci` can take). Failures of the merge itself (stages,
 * names, scan job placement) and of enforcement always fail closed: the project is part of their
 * input, and even a conflict between two policies is better fixed than skipped.
 */
import { isSidecarError, PolicyError, type SidecarError } from '../errors.js';
import type { Source } from '../sources/source.js';

/** A policy's own failure, raised where only that policy's inputs were read. */
export class PolicyFailure extends PolicyError {}

/** Reading the security policy projects and their policy files: anything failing there is theirs. */
export function isPolicyReadFailure(error: unknown): error is SidecarError {
  return isSidecarError(error) && (error.kind === 'policy' || error.kind === 'source');
}

/**
 * A failure while resolving one policy's CI file or its scan actions, as a PolicyFailure; unless
 * the project's own files were part of that input (`projectRead`), which makes it the project's.
 */
export function asPolicyFailure(error: unknown, projectRead = false): unknown {
  if (!isSidecarError(error) || error instanceof PolicyFailure || projectRead) return error;
  if (error.kind === 'internal' || error.kind === 'usage') return error;
  return new PolicyFailure(error.code, error.message, { location: error.location, hint: error.hint, cause: error });
}

/** `source`, noting in `reads.project` whether a file of `projectPath` was read through it. */
export function recordingProjectReads(source: Source, projectPath: string): { source: Source; reads: { project: boolean } } {
  const reads = { project: false };
  const own = projectPath.toLowerCase();
  const note = (project: string): void => {
    if (project.toLowerCase() === own) reads.project = true;
  };
  return {
    reads,
    source: {
      readFile: (project, path, ref) => (note(project), source.readFile(project, path, ref)),
      listFiles: (project, ref) => (note(project), source.listFiles(project, ref)),
      readTemplate: (name) => source.readTemplate(name),
      readProject: (path) => source.readProject(path),
      openMergeRequests: (project, branch) => source.openMergeRequests(project, branch),
    },
  };
}
