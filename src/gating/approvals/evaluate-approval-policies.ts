/**
 * The approval gate (SPEC §4; gitlab-approvals-status-checks.md §2): every enabled, in-scope
 * approval policy whose rules target the merge request's target branch is checked against the
 * source pipeline's reports and the target branch's. Each (rule, require_approval action) is
 * one approval rule, named as GitLab names them ("Pol", "Pol 2", ...; §2.1), required when its
 * rule is violated or errored under `fallback_behavior: closed`, and 0 otherwise (§2.7).
 * Pure: reports, policies and the clock come in; decisions and reasons go out.
 */
import type { LoadedPolicy, OtherPolicy, ScopeSubject } from '../../policies/types.js';
import { matchesPolicyScope } from '../../policies/policy-scope.js';
import type { InvalidReport, ReportSet } from '../findings-model.js';
import { calibrateFindingIds } from '../reports/calibrate-finding-ids.js';
import type { ApprovalPolicy, ApprovalRule, RequireApprovalAction } from './approval-policy.js';
import { checkAnyMergeRequestRule } from './any-merge-request-rule.js';
import { matchesTargetBranch } from './branch-scope.js';
import { checkLicenseFindingRule } from './license-finding-rule.js';
import { mapApprovalPolicy } from './map-approval-policy.js';
import type { KnownFindings } from './known-findings.js';
import type { LicenseNames } from './spdx-license-names.js';
import { compareFindings, EMPTY_CHECK, type FindingSummary, type RuleCheck, type RuleInputs } from './rule-check.js';
import { checkScanFindingRule } from './scan-finding-rule.js';

/** GitLab's default number of approval policies read per policy project (§1.7). */
export const APPROVAL_POLICIES_PER_PROJECT = 5;

export interface ApprovalInput {
  readonly policies: readonly LoadedPolicy<OtherPolicy>[];
  readonly subject: ScopeSubject;
  /** For `branch_exceptions: [{name, full_path}]`. */
  readonly projectPath?: string;
  readonly targetBranch: string;
  readonly protectedBranches: readonly string[];
  readonly defaultBranch: string;
  readonly source: ReportSet;
  /** undefined: the target branch has no pipeline. */
  readonly target: ReportSet | undefined;
  readonly mergeRequest?: { readonly commits: readonly { readonly sha: string; readonly signed: boolean }[] };
  readonly now: Date;
  /** Required when a policy has a license_finding rule (see needsLicenseNames): the SPDX list, loaded on demand. */
  readonly licenseNames?: LicenseNames;
  /**
   * The project's default-branch findings with their states, as GitLab's vulnerability records
   * (the policy store, loaded by the edge): dismissals, pre-existing states, first-seen times.
   * Absent: only what the reports carry is known.
   */
  readonly knownFindings?: KnownFindings;
}

export type RuleStatus = 'not-applicable' | 'passed' | 'violated' | 'failed-closed' | 'skipped-open';

export interface RuleOutcome {
  /** 0-based, in file order. */
  readonly index: number;
  readonly type: ApprovalRule['type'];
  readonly status: RuleStatus;
  readonly check: RuleCheck;
}

/** One merge request approval rule the policy stands for. */
export interface ApprovalRuleRequirement {
  readonly name: string;
  readonly ruleIndex: number;
  /** The action's approvals_required; what is required now is this or 0. */
  readonly approvalsRequired: number;
  /** True when its policy rule is violated or failed closed. */
  readonly required: boolean;
  readonly approvers: RequireApprovalAction;
}

export interface PolicyEvaluation {
  readonly name: string;
  readonly type: ApprovalPolicy['type'];
  readonly policyProject: string;
  readonly index: number;
  readonly applied: boolean;
  readonly violated: boolean;
  /** The largest approvals_required of the policy's actions when violated, else 0. */
  readonly approvalsRequired: number;
  readonly reasons: readonly string[];
  readonly findings: readonly FindingSummary[];
  readonly rules: readonly RuleOutcome[];
  readonly approvalRules: readonly ApprovalRuleRequirement[];
  readonly botMessage: boolean;
  readonly failOpen: boolean;
}

export interface ApprovalEvaluation {
  readonly policies: readonly PolicyEvaluation[];
  /** Every invalid report file of both pipelines, whether or not a rule needed it. */
  readonly invalidReports: readonly InvalidReportFile[];
  readonly violated: boolean;
  /** A violated policy requires at least one approval: the merge must wait. */
  readonly blocking: boolean;
}

export interface InvalidReportFile extends InvalidReport {
  readonly pipeline: 'source' | 'target';
}

/** Whether any of these policies has a license_finding rule, so the SPDX list must be loaded. */
export function needsLicenseNames(policies: readonly LoadedPolicy<OtherPolicy>[]): boolean {
  return policies.some((loaded) => mapApprovalPolicy(loaded.policy).rules.some((rule) => rule.type === 'license_finding'));
}

export function evaluateApprovalPolicies(input: ApprovalInput): ApprovalEvaluation {
  const inputs: RuleInputs = {
    // Findings the target knows by their tracking signatures keep the target's ids (GitLab's UUID override).
    source: calibrateFindingIds(input.source, input.target),
    target: input.target,
    targetIsDefault: input.targetBranch === input.defaultBranch,
    mergeRequest: input.mergeRequest,
    now: input.now,
    licenseNames: input.licenseNames,
    knownFindings: input.knownFindings,
  };
  const enabledSeen = new Map<string, number>();
  const policies = input.policies.map((loaded): PolicyEvaluation => {
    const policy = mapApprovalPolicy(loaded.policy);
    const base = { name: policy.name, type: policy.type, policyProject: loaded.policyProject.path, index: loaded.index, botMessage: policy.botMessage, failOpen: policy.failOpen };
    const skip = (reason: string): PolicyEvaluation => ({ ...base, applied: false, violated: false, approvalsRequired: 0, reasons: [reason], findings: [], rules: [], approvalRules: [] });
    if (!policy.enabled) return skip('disabled (enabled: false)');
    const seen = (enabledSeen.get(base.policyProject) ?? 0) + 1;
    enabledSeen.set(base.policyProject, seen);
    if (seen > APPROVAL_POLICIES_PER_PROJECT) return skip(`over the limit of ${APPROVAL_POLICIES_PER_PROJECT} approval policies per policy project`);
    const scope = matchesPolicyScope(policy.policyScope, input.subject);
    if (!scope.matches) return skip(`out of scope: ${scope.reason}`);
    return evaluatePolicy(policy, base, scope.reason, input, inputs);
  });
  const violated = policies.some((policy) => policy.violated);
  const invalidReports = [
    ...(input.source.invalid ?? []).map((report) => ({ ...report, pipeline: 'source' as const })),
    ...(input.target?.invalid ?? []).map((report) => ({ ...report, pipeline: 'target' as const })),
  ];
  return { policies, invalidReports, violated, blocking: policies.some((policy) => policy.violated && policy.approvalsRequired > 0) };
}

function evaluatePolicy(
  policy: ApprovalPolicy,
  base: Pick<PolicyEvaluation, 'name' | 'type' | 'policyProject' | 'index' | 'botMessage' | 'failOpen'>,
  scopeReason: string,
  input: ApprovalInput,
  inputs: RuleInputs,
): PolicyEvaluation {
  const target = { name: input.targetBranch, protectedBranches: input.protectedBranches, defaultBranch: input.defaultBranch, projectPath: input.projectPath ?? '' };
  const reasons = [`in scope: ${scopeReason}`];
  const rules = policy.rules.map((rule, index): RuleOutcome => {
    const branch = matchesTargetBranch(rule, target);
    const label = `rule ${index + 1} (${rule.type})`;
    if (!branch.applies) {
      reasons.push(`${label}: does not apply: ${branch.reason}`);
      return { index, type: rule.type, status: 'not-applicable', check: EMPTY_CHECK };
    }
    const check = checkRule(rule, policy, inputs);
    const status = statusOf(check, policy.failOpen);
    reasons.push(...check.reasons.map((reason) => `${label}: ${reason}`));
    if (check.error !== undefined) {
      reasons.push(`${label}: ${check.error.code}: ${check.error.message}: ${policy.failOpen ? 'skipped (fallback_behavior fail: open)' : 'approval required (fallback_behavior fail: closed)'}`);
    }
    reasons.push(`${label}: ${status}`);
    return { index, type: rule.type, status, check };
  });
  const applied = rules.some((rule) => rule.status !== 'not-applicable');
  if (!applied) reasons.push('no rule targets this branch');
  if (policy.approvalSettings !== undefined) {
    reasons.push(`approval_settings (reported, not applied by policy-sidecar): ${JSON.stringify(policy.approvalSettings)}`);
  }
  const approvalRules = approvalRulesOf(policy, rules);
  const violated = rules.some((rule) => rule.status === 'violated' || rule.status === 'failed-closed');
  const approvalsRequired = violated ? Math.max(0, ...policy.requireApprovals.map((action) => action.approvalsRequired)) : 0;
  const findings = uniqueFindings(rules.filter((rule) => rule.status === 'violated' || rule.status === 'failed-closed').flatMap((rule) => rule.check.findings));
  return { ...base, applied, violated, approvalsRequired, reasons, findings, rules, approvalRules };
}

function checkRule(rule: ApprovalRule, policy: ApprovalPolicy, inputs: RuleInputs): RuleCheck {
  switch (rule.type) {
    case 'scan_finding':
      return checkScanFindingRule(rule, inputs);
    case 'license_finding':
      return checkLicenseFindingRule(rule, inputs);
    case 'any_merge_request':
      // §2.1: an any_merge_request rule becomes an approval rule only with a require_approval action.
      if (policy.requireApprovals.length === 0) return { ...EMPTY_CHECK, reasons: ['no require_approval action: no approval rule (approval_settings still apply)'] };
      return checkAnyMergeRequestRule(rule, inputs);
  }
}

/** §2.4: an errored rule fails closed (requires approval) unless the policy fails open. */
function statusOf(check: RuleCheck, failOpen: boolean): RuleStatus {
  if (check.error !== undefined) return failOpen ? 'skipped-open' : 'failed-closed';
  return check.violated ? 'violated' : 'passed';
}

/** Names as GitLab's: the policy name, then "<name> 2", "<name> 3"... over (rule, action) pairs. */
function approvalRulesOf(policy: ApprovalPolicy, rules: readonly RuleOutcome[]): ApprovalRuleRequirement[] {
  const requirements: ApprovalRuleRequirement[] = [];
  let ordinal = 0;
  for (const rule of rules) {
    for (const action of policy.requireApprovals) {
      ordinal += 1;
      if (rule.status === 'not-applicable') continue;
      requirements.push({
        name: ordinal === 1 ? policy.name : `${policy.name} ${ordinal}`,
        ruleIndex: rule.index,
        approvalsRequired: action.approvalsRequired,
        required: rule.status === 'violated' || rule.status === 'failed-closed',
        approvers: action,
      });
    }
  }
  return requirements;
}

function uniqueFindings(findings: readonly FindingSummary[]): FindingSummary[] {
  const byId = new Map<string, FindingSummary>();
  for (const finding of findings) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  return [...byId.values()].sort(compareFindings);
}
