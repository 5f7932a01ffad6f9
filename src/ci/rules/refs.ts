/**
 * One `only:refs` / `except:refs` entry against the pipeline (GitLab's `Build::Policy::Refs`):
 * `name@group/project` limits it to one project; `branches` and `tags` name pipeline kinds; a
 * pipeline source matches by name or plural (`pushes`, `merge_requests`, `schedules`); other
 * entries are a `/regex/` or an exact branch or tag name, matched only in branch and tag pipelines.
 */
import { isSidecarError } from '../../errors.js';
import { compileRubyPattern, patternMatches, type RegexValue } from '../expression/index.js';
import type { OnlyExceptScope } from './types.js';

export function matchesRef(entry: string, scope: OnlyExceptScope): boolean {
  const at = entry.indexOf('@');
  const pattern = at < 0 ? entry : entry.slice(0, at);
  const project = at < 0 ? undefined : entry.slice(at + 1);
  if (project !== undefined && project !== scope.projectPath) return false;

  const source = scope.source.replace(/_event$/, '');
  // Ci::Pipeline#branch?: neither a tag nor a merge request pipeline.
  const isBranch = !scope.isTag && source !== 'merge_request';
  if (pattern === 'tags' && scope.isTag) return true;
  if (pattern === 'branches' && isBranch) return true;
  if (pattern === source || pattern === pluralize(source)) return true;
  // External pull request pipelines answer to `merge_requests` too.
  if (source === 'external_pull_request' && pattern === 'merge_requests') return true;
  if (!isBranch && !scope.isTag) return false;
  // RubySyntax.fabricate: a valid `/re/flags` is a pattern; anything else is compared as text.
  const regex = rubyPattern(pattern);
  if (regex !== undefined) return scope.ref !== '' && patternMatches(regex, scope.ref);
  return pattern === scope.ref;
}

/** ActiveSupport's pluralize for the pipeline source names GitLab has. */
function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function rubyPattern(text: string): RegexValue | undefined {
  if (!text.startsWith('/')) return undefined;
  try {
    return compileRubyPattern(text);
  } catch (error) {
    if (isSidecarError(error)) return undefined;
    throw error;
  }
}
