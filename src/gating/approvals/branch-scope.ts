/**
 * Whether an approval rule targets the merge request's target branch (§1.3 "Common to all rule
 * types"): the branches named by `branches` or `branch_type`, intersected with the protected
 * branches (approval policies only ever apply to protected targets), minus `branch_exceptions`.
 * Patterns use GitLab's RefMatcher: `*` matches any run of characters, nothing else is special.
 */
import type { BranchSelector } from './approval-policy.js';

export interface TargetBranch {
  readonly name: string;
  /** Protected branch names and patterns of the project. */
  readonly protectedBranches: readonly string[];
  readonly defaultBranch: string;
  /** Full path of the project, for `branch_exceptions: [{name, full_path}]`. */
  readonly projectPath: string;
}

export interface BranchMatch {
  readonly applies: boolean;
  readonly reason: string;
}

export function matchesTargetBranch(selector: BranchSelector, target: TargetBranch): BranchMatch {
  const branch = target.name;
  const protectedBy = target.protectedBranches.filter((pattern) => matchesRefPattern(pattern, branch));
  if (protectedBy.length === 0) return { applies: false, reason: `target branch ${branch} is not protected: approval policies only apply to protected branches` };
  const selected = selectsBranch(selector, target, protectedBy);
  if (!selected.applies) return selected;
  const exception = selector.branchExceptions.find(
    (item) => (item.fullPath === undefined || item.fullPath === target.projectPath) && matchesRefPattern(item.name, branch),
  );
  if (exception !== undefined) {
    return { applies: false, reason: `target branch ${branch} is excepted by branch_exceptions (${exception.name}${exception.fullPath === undefined ? '' : ` in ${exception.fullPath}`})` };
  }
  return selected;
}

function selectsBranch(selector: BranchSelector, target: TargetBranch, protectedBy: readonly string[]): BranchMatch {
  const branch = target.name;
  if (selector.branchType === 'default') {
    return branch === target.defaultBranch
      ? { applies: true, reason: `target branch ${branch} is the default branch (branch_type: default)` }
      : { applies: false, reason: `target branch ${branch} is not the default branch ${target.defaultBranch} (branch_type: default)` };
  }
  if (selector.branchType === 'protected') return { applies: true, reason: `target branch ${branch} is protected (branch_type: protected)` };
  const branches = selector.branches ?? [];
  if (branches.length === 0) return { applies: true, reason: `target branch ${branch} is protected (branches: [] means every protected branch)` };
  // A rule's pattern is matched against protected-branch names, which may be patterns themselves.
  const match = branches.find((pattern) => matchesRefPattern(pattern, branch) || protectedBy.includes(pattern));
  return match !== undefined
    ? { applies: true, reason: `target branch ${branch} matches branches (${match})` }
    : { applies: false, reason: `target branch ${branch} is not in branches (${branches.join(', ')})` };
}

/** GitLab's RefMatcher: an exact name, or a pattern where `*` matches anything. */
export function matchesRefPattern(pattern: string, ref: string): boolean {
  if (!pattern.includes('*')) return pattern === ref;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${source}$`).test(ref);
}
