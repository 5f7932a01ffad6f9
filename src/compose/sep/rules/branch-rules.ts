/**
 * The branch check of scan execution policy rules (gitlab-pep-sep.md §5.1 step 4; GitLab's
 * Security::SecurityOrchestrationPolicies::PolicyBranchesService). GitLab builds the set of
 * existing branches the rules select and asks whether the pipeline's branch is in it; the
 * pipeline's branch exists, so each pattern is matched against it directly, which gives the same
 * answer without listing the repository's branches.
 */
import { isProtected } from '../../../ci/predefined-variables.js';
import { matchesRefPattern } from './ref-pattern.js';
import type { BranchException, ScanRule } from './read-scan-rules.js';

export interface BranchFacts {
  readonly projectPath: string;
  readonly defaultBranch: string;
  /** Protected-branch names and patterns, project and group level. */
  readonly protectedBranches: readonly string[];
  /** Target branches of the open merge requests whose source branch is the pipeline's branch. */
  readonly openMergeRequestTargets: readonly string[];
}

export interface BranchMatch {
  readonly matched: boolean;
  /** Index (in the policy's `rules`) of the first rule selecting the branch, when one does. */
  readonly rule: number | undefined;
  readonly reason: string;
}

/** Why `rule` selects `branch` (before exceptions), or undefined when it does not. */
export function selectsBranch(rule: ScanRule, branch: string, facts: BranchFacts): string | undefined {
  if (rule.branches !== undefined) {
    const pattern = rule.branches.find((candidate) => matchesRefPattern(branch, candidate));
    return pattern === undefined ? undefined : `branches: ${pattern}`;
  }
  switch (rule.branchType) {
    case 'all':
      return 'branch_type: all';
    case 'default':
      return branch === facts.defaultBranch ? 'branch_type: default' : undefined;
    case 'protected':
      return isProtected(branch, facts.protectedBranches) ? 'branch_type: protected' : undefined;
    case 'target_default': {
      const target = facts.openMergeRequestTargets.find((name) => name === facts.defaultBranch);
      return target === undefined ? undefined : `branch_type: target_default (an open merge request targets ${target})`;
    }
    case 'target_protected': {
      const target = facts.openMergeRequestTargets.find((name) => isProtected(name, facts.protectedBranches));
      return target === undefined ? undefined : `branch_type: target_protected (an open merge request targets ${target})`;
    }
    default:
      return undefined; // `agents` rules select no branch
  }
}

/** The first exception of `rules` excluding `branch` in this project, described; undefined if none. */
export function excludingException(rules: readonly ScanRule[], branch: string, projectPath: string): string | undefined {
  for (const rule of rules) {
    const hit = rule.branchExceptions.find((exception) => excludes(exception, branch, projectPath));
    if (hit !== undefined) return `branch_exceptions of rule ${rule.index}: ${hit.name}${hit.fullPath === undefined ? '' : ` (${hit.fullPath})`}`;
  }
  return undefined;
}

function excludes(exception: BranchException, branch: string, projectPath: string): boolean {
  // `{name, full_path}` applies only to the project of that path (GitLab compares full paths).
  if (exception.fullPath !== undefined && exception.fullPath !== projectPath) return false;
  return matchesRefPattern(branch, exception.name);
}

/**
 * §5.1 step 4: the union of the branches the rules select, minus the exceptions of *all* the
 * rules (an exception in one rule also removes a branch another rule selected).
 */
export function matchBranchRules(rules: readonly ScanRule[], branch: string, facts: BranchFacts): BranchMatch {
  let first: { rule: number; why: string } | undefined;
  for (const rule of rules) {
    const why = selectsBranch(rule, branch, facts);
    if (why !== undefined) {
      first = { rule: rule.index, why };
      break;
    }
  }
  if (first === undefined) return { matched: false, rule: undefined, reason: `no rule selects branch ${branch}` };
  const exception = excludingException(rules, branch, facts.projectPath);
  if (exception !== undefined) {
    return { matched: false, rule: undefined, reason: `branch ${branch} is selected by rule ${first.rule} (${first.why}) but excluded by ${exception}` };
  }
  return { matched: true, rule: first.rule, reason: `rule ${first.rule} selects branch ${branch} (${first.why})` };
}
