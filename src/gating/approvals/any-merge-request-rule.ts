/**
 * `any_merge_request` rules (§2.6): `commits: any` covers every merge request to the matched
 * branches; `commits: unsigned` only those with at least one commit without a signature. Without
 * the merge request's commits (workspace mode) signatures are unknown: an error, so
 * `fallback_behavior` decides.
 */
import type { AnyMergeRequestRule } from './approval-policy.js';
import { EMPTY_CHECK, plural, type RuleCheck, type RuleInputs } from './rule-check.js';

const SHORT_SHA = 8;

export function checkAnyMergeRequestRule(rule: AnyMergeRequestRule, inputs: RuleInputs): RuleCheck {
  if (rule.commits === 'any') return { ...EMPTY_CHECK, violated: true, reasons: ['every merge request to this branch needs approval (commits: any)'] };
  const commits = inputs.mergeRequest?.commits;
  if (commits === undefined) {
    return {
      ...EMPTY_CHECK,
      error: { code: 'EVALUATION_SKIPPED', message: 'the merge request commits and their signatures are not known (no merge request given)' },
      reasons: ['commits: unsigned needs the merge request commits'],
    };
  }
  const unsigned = commits.filter((commit) => !commit.signed).map((commit) => commit.sha.slice(0, SHORT_SHA));
  return {
    ...EMPTY_CHECK,
    violated: unsigned.length > 0,
    unsignedCommits: unsigned,
    reasons: [unsigned.length > 0 ? `${plural(unsigned.length, 'unsigned commit')}: ${unsigned.join(', ')}` : `all ${plural(commits.length, 'commit')} signed`],
  };
}
