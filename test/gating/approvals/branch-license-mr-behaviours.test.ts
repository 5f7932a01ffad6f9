/**
 * gitlab-approvals-status-checks.md §7: branch scoping (17–20), any_merge_request (21–23) and
 * license_finding (24–27) behaviours, one named row each.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalInput } from '../../../src/gating/approvals/evaluate-approval-policies.js';
import { approvalPolicy, component, evaluate, finding, licenseRule, only, reports, required, requireApproval, scanRule } from './approval-builders.js';

type Entry = Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly policy: Entry;
  readonly input: Partial<ApprovalInput>;
  /** Approval rules by name; {} when no rule applies. */
  readonly required: Record<string, number>;
  readonly applied?: boolean;
}

const newCritical = { source: reports([finding('n')]) };
const gpl = component('left-pad-gpl', ['GPL-3.0-only']);
const mit = component('lodash', ['MIT']);
const bsd = component('qs', ['BSD-3-Clause']);
const withSbom = (source: readonly ReturnType<typeof component>[], target: readonly ReturnType<typeof component>[] = []) => ({
  source: reports([], { components: source }),
  target: reports([], { components: target }),
});

const cases: Case[] = [
  { name: '§7.17 branches [main], MR to develop (protected) → no rule applies', policy: approvalPolicy('Pol', [scanRule()]), input: { ...newCritical, targetBranch: 'develop' }, required: {}, applied: false },
  {
    name: '§7.18 branch_type protected with branch_exceptions [release/*], MR to release/2 → does not apply',
    policy: approvalPolicy('Pol', [scanRule({ branches: undefined, branch_type: 'protected', branch_exceptions: ['release/*'] })]),
    input: { ...newCritical, targetBranch: 'release/2' },
    required: {},
    applied: false,
  },
  {
    name: '§7.19 branch_exceptions [{name: main, full_path: grp/other}] in grp/app → the rule applies to main',
    policy: approvalPolicy('Pol', [scanRule({ branch_exceptions: [{ name: 'main', full_path: 'grp/other' }] })]),
    input: newCritical,
    required: { Pol: 2 },
  },
  {
    name: 'branch_exceptions [{name: main, full_path: grp/app}] in grp/app → does not apply',
    policy: approvalPolicy('Pol', [scanRule({ branch_exceptions: [{ name: 'main', full_path: 'grp/app' }] })]),
    input: newCritical,
    required: {},
    applied: false,
  },
  { name: '§7.20 branches [feature-x], not protected → never applies', policy: approvalPolicy('Pol', [scanRule({ branches: ['feature-x'] })]), input: { ...newCritical, targetBranch: 'feature-x' }, required: {}, applied: false },
  { name: 'branches [] means every protected branch: MR to release/3 applies', policy: approvalPolicy('Pol', [scanRule({ branches: [] })]), input: { ...newCritical, targetBranch: 'release/3' }, required: { Pol: 2 } },
  { name: 'branch_type default, MR to develop → does not apply', policy: approvalPolicy('Pol', [scanRule({ branches: undefined, branch_type: 'default' })]), input: { ...newCritical, targetBranch: 'develop' }, required: {}, applied: false },
  {
    name: '§7.21 any_merge_request commits any, approvals_required 2, maintainers → required = 2 for every MR',
    policy: approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'any' }]),
    input: {},
    required: { Pol: 2 },
  },
  {
    name: '§7.22 commits unsigned, all commits signed → 0',
    policy: approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'unsigned' }]),
    input: { mergeRequest: { commits: [{ sha: 'aaaaaaaa11', signed: true }] } },
    required: { Pol: 0 },
  },
  {
    name: '§7.22 commits unsigned, one unsigned commit → required',
    policy: approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'unsigned' }]),
    input: { mergeRequest: { commits: [{ sha: 'aaaaaaaa11', signed: true }, { sha: 'bbbbbbbb22', signed: false }] } },
    required: { Pol: 2 },
  },
  {
    name: 'commits unsigned without the MR commits (workspace mode) → EVALUATION_SKIPPED, required (fail closed)',
    policy: approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'unsigned' }]),
    input: {},
    required: { Pol: 2 },
  },
  {
    name: '§7.23 any_merge_request with only approval_settings → no approval rule',
    policy: { name: 'Pol', enabled: true, rules: [{ type: 'any_merge_request', branches: ['main'], commits: 'any' }], approval_settings: { prevent_approval_by_author: true } },
    input: {},
    required: {},
  },
  { name: '§7.24 denied GPL-3.0-only added by the MR → required', policy: approvalPolicy('Pol', [licenseRule()]), input: withSbom([gpl, mit], [mit]), required: { Pol: 2 } },
  { name: 'denied GPL-3.0-only already on the target, newly_detected → 0', policy: approvalPolicy('Pol', [licenseRule()]), input: withSbom([gpl], [gpl]), required: { Pol: 0 } },
  {
    name: '§7.25 allowlist MIT + Apache, the MR adds a BSD-3-Clause dependency → required',
    policy: approvalPolicy('Pol', [licenseRule({ match_on_inclusion_license: false, license_types: ['MIT License', 'Apache License 2.0'] })]),
    input: withSbom([bsd, mit]),
    required: { Pol: 2 },
  },
  {
    name: '§7.25 allowlist MIT + Apache, the MR adds only MIT dependencies → 0',
    policy: approvalPolicy('Pol', [licenseRule({ match_on_inclusion_license: false, license_types: ['MIT License', 'Apache License 2.0'] })]),
    input: withSbom([mit]),
    required: { Pol: 0 },
  },
  {
    name: '§7.26 detected, denylist MIT, the target already has MIT → required whatever the MR changes',
    policy: approvalPolicy('Pol', [licenseRule({ license_types: ['MIT License'], license_states: ['detected'] })]),
    input: withSbom([], [mit]),
    required: { Pol: 2 },
  },
  {
    name: '§7.27 no target pipeline with an SBOM, fail open → 0 (TARGET_PIPELINE_MISSING)',
    policy: approvalPolicy('Pol', [licenseRule()], { fallback_behavior: { fail: 'open' } }),
    input: { source: reports([], { components: [gpl] }), target: undefined },
    required: { Pol: 0 },
  },
  {
    name: 'licenses.denied with a package exception: the excepted package → 0',
    policy: approvalPolicy('Pol', [licenseRule({ match_on_inclusion_license: undefined, license_types: undefined, licenses: { denied: [{ name: 'GPL-3.0-only', packages: { excluding: { purls: ['pkg:npm/left-pad-gpl'] } } }] } })]),
    input: withSbom([gpl]),
    required: { Pol: 0 },
  },
  {
    name: 'licenses.allowed with a package exception: the excepted package using an allowed licence → required',
    policy: approvalPolicy('Pol', [licenseRule({ match_on_inclusion_license: undefined, license_types: undefined, licenses: { allowed: [{ name: 'MIT', packages: { excluding: { purls: ['pkg:npm/lodash@'] } } }] } })]),
    input: withSbom([mit]),
    required: { Pol: 2 },
  },
  {
    name: 'allowlist: a dependency without a licence is unknown, so not allowed → required',
    policy: approvalPolicy('Pol', [licenseRule({ match_on_inclusion_license: false, license_types: ['MIT License'] })]),
    input: withSbom([component('mystery', [])]),
    required: { Pol: 2 },
  },
  {
    name: 'newly_detected with no SBOM in the source → ARTIFACTS_MISSING, required (fail closed)',
    policy: approvalPolicy('Pol', [licenseRule()]),
    input: { source: reports([]), target: reports([], { components: [] }) },
    required: { Pol: 2 },
  },
];

describe('branches, any_merge_request and license_finding (reference §7)', () => {
  it.each(cases)('$name', ({ policy, input, required: expected, applied }) => {
    const cleaned = { ...policy, rules: (policy['rules'] as Entry[]).map((rule) => Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== undefined))) };
    const evaluation = evaluate([cleaned], input);
    expect(required(evaluation)).toEqual(expected);
    expect(only(evaluation).applied).toBe(applied ?? true);
  });
});

describe('what the outcome says', () => {
  it('§7.24 names the licence and the dependency using it', () => {
    const policy = only(evaluate([approvalPolicy('Pol', [licenseRule()])], withSbom([gpl, mit], [mit])));
    expect(policy.rules[0]?.check.licenses).toEqual([{ license: 'GNU General Public License v3.0 only', dependencies: ['left-pad-gpl'] }]);
  });

  it('§7.22 lists the short SHA of the unsigned commit', () => {
    const policy = only(
      evaluate([approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'unsigned' }])], {
        mergeRequest: { commits: [{ sha: 'bbbbbbbb22cc', signed: false }] },
      }),
    );
    expect(policy.rules[0]?.check.unsignedCommits).toEqual(['bbbbbbbb']);
  });

  it('§7.27 says TARGET_PIPELINE_MISSING and that the rule was skipped (fail open)', () => {
    const policy = only(evaluate([approvalPolicy('Pol', [licenseRule()], { fallback_behavior: { fail: 'open' } })], { source: reports([], { components: [gpl] }), target: undefined }));
    expect(policy.reasons).toContain(
      'rule 1 (license_finding): TARGET_PIPELINE_MISSING: no target-branch pipeline to compare licences with: skipped (fallback_behavior fail: open)',
    );
    expect(policy.rules[0]?.status).toBe('skipped-open');
  });

  it('§7.23 reports approval_settings as written', () => {
    const policy = only(evaluate([{ name: 'Pol', enabled: true, rules: [{ type: 'any_merge_request', branches: ['main'], commits: 'any' }], approval_settings: { prevent_approval_by_author: true } }]));
    expect(policy.reasons).toContain('approval_settings (reported, not applied by policy-sidecar): {"prevent_approval_by_author":true}');
    expect([policy.applied, policy.violated]).toEqual([true, false]);
  });

  it('require_approval approvers are kept for the approval rule (users, groups, roles)', () => {
    const action = requireApproval(1, { user_approvers: ['alice'], user_approvers_ids: [7], group_approvers: ['acme/sec'], group_approvers_ids: [42], role_approvers: ['developer', 9] });
    const policy = only(evaluate([approvalPolicy('Pol', [scanRule()], { actions: [action] })], newCritical));
    expect(policy.approvalRules[0]?.approvers).toEqual({
      approvalsRequired: 1,
      userApproverIds: [7],
      userApprovers: ['alice'],
      groupApproverIds: [42],
      groupApprovers: ['acme/sec'],
      roleApprovers: ['developer', 9],
    });
  });
});
