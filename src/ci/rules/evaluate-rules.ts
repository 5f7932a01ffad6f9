/**
 * `rules:` evaluation (GitLab's `Gitlab::Ci::Build::Rules`): the first rule whose clauses all
 * hold wins; a rule without clauses always holds; a matching rule without `when` takes the
 * job's `when` (default on_success); when no rule matches, the result is `when: never`.
 * Docs: ci/jobs/job_rules.md, ci/yaml/_index.md#rules.
 */
import { isPresent, evaluateNode } from '../expression/index.js';
import type { CiValue } from '../value.js';
import { changesSatisfied, existsSatisfied } from './clauses.js';
import { JOB_RULES, parseRules, type ParsedRule, type RuleKind } from './rule-config.js';
import type { JobWhen, RuleOutcome, RuleScope } from './types.js';

export interface RuleMatch {
  readonly rule: ParsedRule | undefined;
  readonly reason: string;
}

/** Validates `rules` for `kind`, then finds the first matching rule. */
export async function findMatchingRule(rules: CiValue, scope: RuleScope, kind: RuleKind): Promise<RuleMatch> {
  const parsed = parseRules(rules, kind, scope);
  for (const rule of parsed) {
    if (await ruleHolds(rule, scope)) return { rule, reason: `rule ${rule.index + 1} matched (${describeRule(rule)})` };
  }
  return { rule: undefined, reason: 'no rule matched' };
}

export async function evaluateRules(rules: CiValue, scope: RuleScope, jobWhen: JobWhen = 'on_success'): Promise<RuleOutcome> {
  const { rule, reason } = await findMatchingRule(rules, scope, JOB_RULES);
  if (rule === undefined) {
    return {
      matchedIndex: undefined,
      when: 'never',
      allowFailure: undefined,
      startIn: undefined,
      needs: undefined,
      variables: {},
      interruptible: undefined,
      reason,
    };
  }
  // parseRules accepted only JOB_RULES.allowedWhen, which are exactly the JobWhen values.
  const when = (rule.when as JobWhen | undefined) ?? jobWhen;
  return {
    matchedIndex: rule.index,
    when,
    allowFailure: rule.allowFailure,
    startIn: rule.startIn,
    needs: rule.needs,
    variables: rule.variables,
    interruptible: rule.interruptible,
    reason: when === 'never' ? `${reason} with when: never` : reason,
  };
}

/** All present clauses must hold (Rule#matches?: `clauses.all?`), `if` checked first. */
async function ruleHolds(rule: ParsedRule, scope: RuleScope): Promise<boolean> {
  // Statement#truthful?: the value must be present?.
  if (rule.ifTree !== undefined && !isPresent(evaluateNode(rule.ifTree, scope.variables))) return false;
  if (rule.changes !== undefined && !(await changesSatisfied(rule.changes, scope))) return false;
  if (rule.exists !== undefined && !(await existsSatisfied(rule.exists, scope))) return false;
  return true;
}

function describeRule(rule: ParsedRule): string {
  const parts: string[] = [];
  if (rule.ifSource !== undefined) parts.push(`if: ${rule.ifSource}`);
  if (rule.changes !== undefined) parts.push(`changes: ${rule.changes.paths.join(', ')}`);
  if (rule.exists !== undefined) parts.push(`exists: ${rule.exists.paths.join(', ')}`);
  return parts.length === 0 ? 'no conditions' : parts.join('; ');
}
