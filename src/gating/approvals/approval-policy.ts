/**
 * Approval policies (`approval_policy`, legacy `scan_result_policy`) as the gate reads them:
 * gitlab-approvals-status-checks.md §1 (GitLab schema `$defs.approval_policy`). Field names are
 * camelCase; values keep GitLab's vocabulary so reasons can quote them.
 */
import type { CiMap } from '../../ci/value.js';
import type { PolicyScope } from '../../policies/types.js';

export type BranchType = 'default' | 'protected';

/** A `branch_exceptions` item: a name or pattern, or one that applies in one project only. */
export interface BranchException {
  readonly name: string;
  /** Set for `{name, full_path}`: the exception applies only in that project. */
  readonly fullPath: string | undefined;
}

export interface BranchSelector {
  /** `branches:` (undefined when the rule uses `branch_type`); `[]` = every protected branch. */
  readonly branches: readonly string[] | undefined;
  readonly branchType: BranchType | undefined;
  readonly branchExceptions: readonly BranchException[];
}

export type NewState = 'new_needs_triage' | 'new_dismissed';
export type PreExistingState = 'detected' | 'confirmed' | 'resolved' | 'dismissed';

export interface VulnerabilityAge {
  readonly operator: 'greater_than' | 'less_than';
  readonly value: number;
  readonly interval: 'day' | 'week' | 'month' | 'year';
}

export interface ScanFindingRule extends BranchSelector {
  readonly type: 'scan_finding';
  /** Report types; `[]` = every scanner. */
  readonly scanners: readonly string[];
  readonly vulnerabilitiesAllowed: number;
  /** `[]` = no severity filter. */
  readonly severityLevels: readonly string[];
  /** Effective new states: `[]` and the legacy `newly_detected` mean both (§1.3). */
  readonly newStates: readonly NewState[];
  readonly preExistingStates: readonly PreExistingState[];
  readonly falsePositive: boolean | undefined;
  readonly fixAvailable: boolean | undefined;
  readonly vulnerabilityAge: VulnerabilityAge | undefined;
}

export interface LicenseEntry {
  readonly name: string;
  /** `packages.excluding.purls`: a dependency whose purl starts with one is excepted. */
  readonly excludedPurls: readonly string[];
}

export interface LicenseFindingRule extends BranchSelector {
  readonly type: 'license_finding';
  /** `denied` for `match_on_inclusion_license: true` or `licenses.denied`, else `allowed`. */
  readonly listKind: 'denied' | 'allowed';
  readonly licenses: readonly LicenseEntry[];
  readonly licenseStates: readonly ('newly_detected' | 'detected')[];
}

export interface AnyMergeRequestRule extends BranchSelector {
  readonly type: 'any_merge_request';
  readonly commits: 'any' | 'unsigned';
}

export type ApprovalRule = ScanFindingRule | LicenseFindingRule | AnyMergeRequestRule;

export type RoleApprover = 'guest' | 'reporter' | 'developer' | 'maintainer' | 'owner' | number;

export interface RequireApprovalAction {
  readonly approvalsRequired: number;
  readonly userApproverIds: readonly number[];
  readonly userApprovers: readonly string[];
  readonly groupApproverIds: readonly number[];
  readonly groupApprovers: readonly string[];
  readonly roleApprovers: readonly RoleApprover[];
}

export interface ApprovalPolicy {
  readonly type: 'approval_policy' | 'scan_result_policy';
  readonly name: string;
  readonly description: string | undefined;
  readonly enabled: boolean;
  readonly rules: readonly ApprovalRule[];
  /** Up to 5 since GitLab 17.8, each its own approval rule. */
  readonly requireApprovals: readonly RequireApprovalAction[];
  /** `send_bot_message.enabled`; true when the action is absent (§1.4). */
  readonly botMessage: boolean;
  /** Reported as written; policy-sidecar does not change project settings. */
  readonly approvalSettings: CiMap | undefined;
  readonly failOpen: boolean;
  readonly policyScope: PolicyScope | undefined;
}
