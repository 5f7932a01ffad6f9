/**
 * ReportSets, findings and approval policies for the gate's tests, built as data. Policies go
 * through the real policy validator, so a test policy is one GitLab would accept.
 */
import type { Finding, LicenseComponent, ReportSet, ReportType, Severity } from '../../../src/gating/findings-model.js';
import { approvalPoliciesOf } from '../../../src/gating/approvals/map-approval-policy.js';
import { evaluateApprovalPolicies, type ApprovalEvaluation, type ApprovalInput, type PolicyEvaluation } from '../../../src/gating/approvals/evaluate-approval-policies.js';
import { loadSpdxLicenseNames } from '../../../src/gating/approvals/spdx-license-names.js';
import { policyFile, subject } from '../../policies/policy-builders.js';

type Entry = Record<string, unknown>;

export const POLICY_PROJECT = { path: 'security/policies', id: 900 };

export function finding(id: string, overrides: Partial<Finding> = {}): Finding {
  const reportType: ReportType = overrides.reportType ?? 'sast';
  return {
    reportType,
    id,
    reportId: undefined,
    scanner: { id: 'semgrep', name: 'Semgrep' },
    primaryIdentifier: { type: 'cwe', name: 'CWE-79', value: '79' },
    identifiers: [{ type: 'cwe', name: 'CWE-79', value: '79' }],
    locationFingerprint: `fp-${id}`,
    name: `Finding ${id}`,
    severity: 'critical' satisfies Severity,
    location: `src/${id}.js:1`,
    state: undefined,
    detectedAt: undefined,
    falsePositive: undefined,
    fixAvailable: undefined,
    ...overrides,
  };
}

export function component(name: string, licenses: readonly string[], purl = `pkg:npm/${name}@1.0.0`): LicenseComponent {
  return { name, version: '1.0.0', purl, licenses: licenses.map((spdxId) => ({ spdxId, name: undefined })) };
}

export function reports(findings: readonly Finding[], options: { types?: readonly ReportType[]; components?: readonly LicenseComponent[]; sbom?: boolean } = {}): ReportSet {
  const types = new Set<ReportType>(options.types ?? findings.map((item) => item.reportType));
  if (options.types === undefined && types.size === 0) types.add('sast');
  return {
    findings,
    components: options.components ?? [],
    reportTypes: types,
    hasSbom: options.sbom ?? options.components !== undefined,
    files: [],
  };
}

export function scanRule(extra: Entry = {}): Entry {
  return { type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: ['critical'], vulnerability_states: [], ...extra };
}

export function licenseRule(extra: Entry = {}): Entry {
  return { type: 'license_finding', branches: ['main'], match_on_inclusion_license: true, license_types: ['GNU General Public License v3.0 only'], license_states: ['newly_detected'], ...extra };
}

export function requireApproval(approvals = 2, extra: Entry = {}): Entry {
  return { type: 'require_approval', approvals_required: approvals, role_approvers: ['maintainer'], ...extra };
}

export function approvalPolicy(name: string, rules: Entry[], extra: Entry = {}): Entry {
  return { name, enabled: true, rules, actions: [requireApproval()], ...extra };
}

// Loaded once for every builder test, as evaluate loads it when a licence rule needs it.
const licenseNames = await loadSpdxLicenseNames();

export function evaluate(policies: Entry[], overrides: Partial<ApprovalInput> = {}, key = 'approval_policy'): ApprovalEvaluation {
  const file = policyFile(POLICY_PROJECT, { [key]: policies });
  return evaluateApprovalPolicies({
    policies: approvalPoliciesOf(file.policies),
    subject: subject(),
    projectPath: 'grp/app',
    targetBranch: 'main',
    protectedBranches: ['main', 'develop', 'release/*'],
    defaultBranch: 'main',
    source: reports([]),
    target: reports([]),
    now: new Date('2025-06-01T00:00:00Z'),
    licenseNames,
    ...overrides,
  });
}

/** The only policy's outcome. */
export function only(evaluation: ApprovalEvaluation): PolicyEvaluation {
  const [policy] = evaluation.policies;
  if (policy === undefined || evaluation.policies.length !== 1) throw new Error(`expected one policy, got ${evaluation.policies.length}`);
  return policy;
}

/** approvals_required of each MR approval rule, by name: what GitLab would show (§7 "Required = k"). */
export function required(evaluation: ApprovalEvaluation): Record<string, number> {
  return Object.fromEntries(evaluation.policies.flatMap((policy) => policy.approvalRules.map((rule) => [rule.name, rule.required ? rule.approvalsRequired : 0])));
}
