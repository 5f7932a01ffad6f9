/**
 * A schema-valid `approval_policy` / `scan_result_policy` entry (kept as YAML by
 * policies/map-policies.ts) → ApprovalPolicy. Defaults are GitLab's (§1.3–§1.6):
 * `vulnerability_states: []` and the legacy `newly_detected` mean both new states, the bot
 * comment is on without a `send_bot_message` action, `fallback_behavior` is closed. Rules past
 * the fifth are dropped, as GitLab processes only the first RULES_LIMIT.
 */
import { isMap, isSeq, type CiMap } from '../../ci/value.js';
import type { LoadedPolicy, OtherPolicy, Policy } from '../../policies/types.js';
import { booleanAt, integerAt, integers, mapAt, seqAt, stringAt, strings } from '../../policies/validated-values.js';
import type {
  ApprovalPolicy,
  ApprovalRule,
  BranchException,
  BranchSelector,
  LicenseEntry,
  NewState,
  PreExistingState,
  RequireApprovalAction,
  RoleApprover,
  VulnerabilityAge,
} from './approval-policy.js';

const RULES_LIMIT = 5;
const REQUIRE_APPROVAL_LIMIT = 5;
const NEW_STATES: readonly NewState[] = ['new_needs_triage', 'new_dismissed'];
const PRE_EXISTING_STATES: readonly PreExistingState[] = ['detected', 'confirmed', 'resolved', 'dismissed'];

export function isApprovalPolicy(policy: Policy): policy is OtherPolicy {
  return policy.type === 'approval_policy' || policy.type === 'scan_result_policy';
}

/** The approval policies of loaded policy files, typed; other types are left out. */
export function approvalPoliciesOf(loaded: readonly LoadedPolicy[]): LoadedPolicy<OtherPolicy>[] {
  return loaded.filter((entry): entry is LoadedPolicy<OtherPolicy> => isApprovalPolicy(entry.policy));
}

export function mapApprovalPolicy(policy: OtherPolicy): ApprovalPolicy {
  const raw = policy.raw;
  const actions = seqAt(raw, 'actions').filter(isMap);
  const bot = actions.find((action) => action['type'] === 'send_bot_message');
  const fallback = mapAt(raw, 'fallback_behavior');
  return {
    type: policy.type === 'scan_result_policy' ? 'scan_result_policy' : 'approval_policy',
    name: policy.name,
    description: stringAt(raw, 'description'),
    enabled: policy.enabled,
    rules: seqAt(raw, 'rules').filter(isMap).slice(0, RULES_LIMIT).flatMap(mapRule),
    requireApprovals: actions
      .filter((action) => action['type'] === 'require_approval')
      .slice(0, REQUIRE_APPROVAL_LIMIT)
      .map(mapRequireApproval),
    botMessage: bot === undefined ? true : bot['enabled'] !== false,
    approvalSettings: mapAt(raw, 'approval_settings'),
    failOpen: fallback?.['fail'] === 'open',
    policyScope: policy.policyScope,
  };
}

function mapRule(rule: CiMap): ApprovalRule[] {
  const selector = mapBranchSelector(rule);
  switch (rule['type']) {
    case 'scan_finding': {
      const states = strings(seqAt(rule, 'vulnerability_states'));
      const newStates = NEW_STATES.filter((state) => states.includes(state) || states.includes('newly_detected'));
      const preExistingStates = PRE_EXISTING_STATES.filter((state) => states.includes(state));
      const attributes = mapAt(rule, 'vulnerability_attributes');
      return [
        {
          ...selector,
          type: 'scan_finding',
          scanners: strings(seqAt(rule, 'scanners')),
          vulnerabilitiesAllowed: integerAt(rule, 'vulnerabilities_allowed') ?? 0,
          severityLevels: strings(seqAt(rule, 'severity_levels')),
          // §1.3: `[]` is the same as [new_needs_triage, new_dismissed].
          newStates: states.length === 0 ? NEW_STATES : newStates,
          preExistingStates,
          falsePositive: booleanAt(attributes, 'false_positive'),
          fixAvailable: booleanAt(attributes, 'fix_available'),
          vulnerabilityAge: mapAge(mapAt(rule, 'vulnerability_age')),
        },
      ];
    }
    case 'license_finding': {
      const licenses = mapAt(rule, 'licenses');
      const denied = seqAt(licenses, 'denied');
      const allowed = seqAt(licenses, 'allowed');
      const legacyNames = strings(seqAt(rule, 'license_types')).map((name): LicenseEntry => ({ name, excludedPurls: [] }));
      const listKind = licenses !== undefined ? (denied.length > 0 ? 'denied' : 'allowed') : rule['match_on_inclusion_license'] === true ? 'denied' : 'allowed';
      return [
        {
          ...selector,
          type: 'license_finding',
          listKind,
          licenses: licenses === undefined ? legacyNames : (denied.length > 0 ? denied : allowed).filter(isMap).map(mapLicenseEntry),
          licenseStates: strings(seqAt(rule, 'license_states')).filter((state): state is 'newly_detected' | 'detected' => state === 'newly_detected' || state === 'detected'),
        },
      ];
    }
    case 'any_merge_request':
      return [{ ...selector, type: 'any_merge_request', commits: rule['commits'] === 'unsigned' ? 'unsigned' : 'any' }];
    default:
      return [];
  }
}

function mapBranchSelector(rule: CiMap): BranchSelector {
  const branchType = rule['branch_type'];
  return {
    branches: isSeq(rule['branches']) ? strings(rule['branches']) : undefined,
    branchType: branchType === 'default' || branchType === 'protected' ? branchType : undefined,
    branchExceptions: seqAt(rule, 'branch_exceptions').flatMap((item): BranchException[] => {
      if (typeof item === 'string') return [{ name: item, fullPath: undefined }];
      const name = isMap(item) ? stringAt(item, 'name') : undefined;
      return name === undefined || !isMap(item) ? [] : [{ name, fullPath: stringAt(item, 'full_path') }];
    }),
  };
}

function mapLicenseEntry(entry: CiMap): LicenseEntry {
  const purls = seqAt(mapAt(mapAt(entry, 'packages'), 'excluding'), 'purls');
  return { name: stringAt(entry, 'name') ?? '', excludedPurls: strings(purls) };
}

function mapRequireApproval(action: CiMap): RequireApprovalAction {
  return {
    approvalsRequired: integerAt(action, 'approvals_required') ?? 0,
    userApproverIds: integers(seqAt(action, 'user_approvers_ids')),
    userApprovers: strings(seqAt(action, 'user_approvers')),
    groupApproverIds: integers(seqAt(action, 'group_approvers_ids')),
    groupApprovers: strings(seqAt(action, 'group_approvers')),
    roleApprovers: seqAt(action, 'role_approvers').flatMap((role): RoleApprover[] =>
      role === 'guest' || role === 'reporter' || role === 'developer' || role === 'maintainer' || role === 'owner' || (typeof role === 'number' && Number.isInteger(role))
        ? [role]
        : [],
    ),
  };
}

function mapAge(age: CiMap | undefined): VulnerabilityAge | undefined {
  if (age === undefined) return undefined;
  const { operator, interval } = age;
  const value = integerAt(age, 'value');
  if ((operator !== 'greater_than' && operator !== 'less_than') || value === undefined) return undefined;
  if (interval !== 'day' && interval !== 'week' && interval !== 'month' && interval !== 'year') return undefined;
  return { operator, value, interval };
}

