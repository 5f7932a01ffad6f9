/**
 * Where an `include` entry is evaluated (GitLab's External::Context): the project and ref of the
 * file that holds it, the variables usable there, and the repository facts for its rules.
 */
import type { Source } from '../../sources/source.js';
import type { RepositoryFacts, Variables } from '../context.js';
import type { IncludeKind, IncludeRuleEvaluator } from './types.js';

export interface IncludeScope {
  /** How the file holding the `include` was itself included. */
  readonly kind: IncludeKind | 'main';
  /** Its project; undefined inside remote files and templates, which have no project context. */
  readonly project: string | undefined;
  readonly ref: string | undefined;
  /** Its repository path (URL or template name for those kinds). */
  readonly path: string;
  /** How messages name it. */
  readonly fileName: string;
  readonly variables: Variables;
  readonly facts: RepositoryFacts;
  readonly source: Source;
  readonly evaluateRules: IncludeRuleEvaluator;
}

/**
 * docs "ci/yaml/includes#include-with-rulesexists": `rules:exists` in a file of another project
 * checks that project at that ref, so the facts' "pipeline project" becomes the file's project.
 * Remote files and templates have no project: nothing exists there.
 */
export function scopeFacts(facts: RepositoryFacts, project: string | undefined, ref: string | undefined, isPipelineProject: boolean): RepositoryFacts {
  if (isPipelineProject) return facts;
  return {
    changedPaths: (compareTo) => facts.changedPaths(compareTo),
    projectFiles: async (otherProject, otherRef) => {
      if (otherProject !== undefined) return facts.projectFiles(otherProject, otherRef);
      if (project === undefined) return [];
      return facts.projectFiles(project, ref);
    },
  };
}
