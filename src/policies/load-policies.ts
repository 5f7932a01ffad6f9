/**
 * Reads the policy file of each security policy project, in hierarchy order (top-most group
 * first), from its default branch (gitlab-pep-sep.md §1.1). All projects are read in one round
 * of parallel requests. Anything missing or invalid fails the whole load: a pipeline must not
 * run without the policies it is subject to (fail closed; `--fail-open` is the caller's choice).
 */
import { PolicyError, SourceError } from '../errors.js';
import type { Source } from '../sources/source.js';
import type { PolicyFile, PolicyProjectRef } from './types.js';
import { POLICY_FILE_PATH, validatePolicyFile } from './validate-policy-file.js';

/** How a policy file is named in messages: `security/policies:.gitlab/security-policies/policy.yml`. */
export function policyFileName(project: PolicyProjectRef): string {
  return `${project.path}:${POLICY_FILE_PATH}`;
}

export async function loadPolicyFiles(source: Source, projects: readonly PolicyProjectRef[]): Promise<PolicyFile[]> {
  return Promise.all(projects.map((project) => loadPolicyFile(source, project)));
}

/**
 * The policy files of security policy projects named by path (`--policy-project`): each path is
 * looked up for the project's id, which a policy file's references carry, before the files are read.
 */
export async function loadPolicyFilesByPath(source: Source, paths: readonly string[]): Promise<PolicyFile[]> {
  const refs = await Promise.all(
    paths.map(async (path): Promise<PolicyProjectRef> => {
      const metadata = await source.readProject(path);
      if (metadata === undefined) throw new SourceError('policy-project-missing', `security policy project ${path} was not found`, { hint: 'Check the --policy-project path and that the token can read the project.' });
      return { path, id: metadata.id };
    }),
  );
  return loadPolicyFiles(source, refs);
}

async function loadPolicyFile(source: Source, project: PolicyProjectRef): Promise<PolicyFile> {
  const file = policyFileName(project);
  // `ref` undefined: the project's default branch, where GitLab reads policies from.
  const [metadata, text] = await Promise.all([source.readProject(project.path), source.readFile(project.path, POLICY_FILE_PATH, undefined)]);
  if (metadata === undefined) {
    throw new SourceError('policy-project-missing', `security policy project ${project.path} was not found`, {
      hint: 'Check the policy project path, and that the token can read the project.',
    });
  }
  if (text === undefined) {
    // The location names the file; the message says what is wrong with it.
    throw new PolicyError('policy-file-missing', `the security policy project ${project.path} has no policy file on its default branch`, {
      location: { file },
      hint: `Commit the policy file to ${metadata.defaultBranch}, or unlink the policy project.`,
    });
  }
  return validatePolicyFile(text, file, project);
}
