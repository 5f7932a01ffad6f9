/**
 * `rules:changes` and `rules:exists` against the repository facts, as GitLab's
 * `Build::Rules::Rule::Clause::Changes` and `::Exists` do: paths are globs with variables
 * expanded (unknown ones kept as written, ExpandVariables.expand_existing), matched with
 * File.fnmatch (see glob.ts), and each clause gives up and says "true" past a comparison cap.
 */
import { expandVariables } from '../expand-variables.js';
import { compileGlob } from './glob.js';
import type { RuleChanges, RuleExists } from './rule-clauses-config.js';
import type { RuleScope } from './types.js';

// Clause::Changes::CHANGES_MAX_PATTERN_COMPARISONS: past it the clause assumes a match.
export const CHANGES_MAX_COMPARISONS = 50_000;
// Clause::Exists::MAX_PATTERN_COMPARISONS: past it the clause assumes a match.
export const EXISTS_MAX_COMPARISONS = 10_000;

function expandExisting(text: string, scope: RuleScope): string {
  return expandVariables(text, scope.variables, { keepUnknown: true });
}

export async function changesSatisfied(changes: RuleChanges, scope: RuleScope): Promise<boolean> {
  const compareTo = changes.compareTo === undefined ? undefined : expandExisting(changes.compareTo, scope);
  const modified = await scope.facts.changedPaths(compareTo);
  // Unknown changes (new branch, tag, schedule...): GitLab treats `changes` as true.
  if (modified === undefined) return true;
  if (modified.length === 0) return false;
  const globs = [...new Set(changes.paths.map((path) => expandExisting(path, scope)))];
  if (globs.length === 0) return false;
  if (modified.length * globs.length > CHANGES_MAX_COMPARISONS) return true;
  const patterns = globs.map(compileGlob);
  return modified.some((path) => patterns.some((pattern) => pattern.test(path)));
}

// Exists#exact_glob?: no fnmatch metacharacters, so the path must be there as written.
function isExactGlob(glob: string): boolean {
  return !/[*?[{]/.test(glob);
}

// Exists#extension_glob?: `**/*.js` is answered with "some path ends in .js".
function extensionOf(glob: string): string | undefined {
  const rest = glob.startsWith('**/*') ? glob.slice('**/*'.length) : glob;
  return rest.startsWith('.') && !rest.includes('/') && isExactGlob(rest) && rest !== glob ? rest : undefined;
}

export async function existsSatisfied(exists: RuleExists, scope: RuleScope): Promise<boolean> {
  // Exists#satisfied_by?: with `project:` and no paths there is nothing to look for.
  if (exists.project !== undefined && exists.paths.length === 0) return false;
  const project = exists.project === undefined ? undefined : expandExisting(exists.project, scope);
  const ref = exists.ref === undefined ? undefined : expandExisting(exists.ref, scope);
  const files = await scope.facts.projectFiles(project, ref);
  const globs = exists.paths.map((path) => expandExisting(path, scope));

  const fileSet = new Set(files);
  const exact = globs.filter(isExactGlob);
  if (exact.some((glob) => fileSet.has(glob))) return true;
  const extensions = globs.map(extensionOf).filter((extension): extension is string => extension !== undefined);
  if (extensions.length > 0 && files.some((file) => extensions.some((extension) => file.endsWith(extension)))) return true;

  const patterns = globs.filter((glob) => !isExactGlob(glob) && extensionOf(glob) === undefined);
  let comparisons = 0;
  for (const glob of patterns) {
    const pattern = compileGlob(glob);
    for (const file of files) {
      comparisons += 1;
      if (comparisons > EXISTS_MAX_COMPARISONS || pattern.test(file)) return true;
    }
  }
  return false;
}
