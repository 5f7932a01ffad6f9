/**
 * The branches a `type: schedule` rule runs on (gitlab-pep-sep.md §4.1, §5.1 step 4: GitLab's
 * PolicyBranchesService over the repository's branches, minus the rule's `branch_exceptions`).
 * With the GitLab API the repository's branches are listed; offline they are unknown, so the
 * default branch, the protected-branch names without `*` and the rule's own names without `*`
 * count as existing.
 */
import { excludingException, selectsBranch, type BranchFacts } from '../compose/sep/rules/branch-rules.js';
import type { ScheduleRule } from '../compose/sep/rules/read-scan-rules.js';

export interface ScheduleBranchFacts {
  readonly projectPath: string;
  readonly defaultBranch: string;
  readonly protectedBranches: readonly string[];
  /** The repository's branches, or undefined when unknown (workspace mode). */
  readonly existing: readonly string[] | undefined;
}

export function branchesOfScheduleRule(rule: ScheduleRule, facts: ScheduleBranchFacts): string[] {
  const candidates =
    facts.existing ??
    [facts.defaultBranch, ...facts.protectedBranches, ...(rule.branches ?? [])].filter((name) => !name.includes('*'));
  const branchFacts: BranchFacts = { ...facts, openMergeRequestTargets: [] };
  const selected = candidates.filter(
    (branch) => selectsBranch(rule, branch, branchFacts) !== undefined && excludingException([rule], branch, facts.projectPath) === undefined,
  );
  return [...new Set(selected)].sort();
}
