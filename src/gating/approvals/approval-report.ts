/**
 * The `evaluate --report` JSON (SPEC §6, issue #6 contract, stable):
 * `{policies: [{name, type, policyProject, applied, violated, approvalsRequired, reasons,
 * findings: [{id, scanner, severity, name, new}]}], violated}`. Exactly these keys, in this
 * order; the same evaluation gives the same bytes.
 */
import type { ApprovalEvaluation } from './evaluate-approval-policies.js';

export interface ApprovalReport {
  readonly policies: readonly {
    readonly name: string;
    readonly type: string;
    readonly policyProject: string;
    readonly applied: boolean;
    readonly violated: boolean;
    readonly approvalsRequired: number;
    readonly reasons: readonly string[];
    readonly findings: readonly { readonly id: string; readonly scanner: string; readonly severity: string; readonly name: string; readonly new: boolean }[];
  }[];
  readonly violated: boolean;
}

export function buildApprovalReport(evaluation: ApprovalEvaluation): ApprovalReport {
  return {
    policies: evaluation.policies.map((policy) => ({
      name: policy.name,
      type: policy.type,
      policyProject: policy.policyProject,
      applied: policy.applied,
      violated: policy.violated,
      approvalsRequired: policy.approvalsRequired,
      reasons: policy.reasons,
      findings: policy.findings.map((finding) => ({ id: finding.id, scanner: finding.scanner, severity: finding.severity, name: finding.name, new: finding.new })),
    })),
    // Blocking violations only: an optional (approvals_required: 0) policy's violation is in its own entry.
    violated: evaluation.blocking,
  };
}

export function emitApprovalReportJson(evaluation: ApprovalEvaluation): string {
  return JSON.stringify(buildApprovalReport(evaluation), null, 2) + '\n';
}
