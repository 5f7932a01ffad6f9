/** The human summary `evaluate` prints on standard output: one block per policy, then the verdict. */
import type { ApprovalEvaluation, PolicyEvaluation } from './evaluate-approval-policies.js';

/** What became of the approval requirement (API mode sets MR approval rules; offline nothing does). */
export type Enforcement = 'none' | 'approval-rules' | 'unavailable';

export function emitApprovalSummary(evaluation: ApprovalEvaluation, enforcement: Enforcement): string {
  const lines = [...renderInvalidReports(evaluation), ...evaluation.policies.map(renderPolicy)];
  lines.push(verdictLine(evaluation, enforcement));
  return lines.join('\n') + '\n';
}

/** Every invalid file at once, before the policies whose rules fell back because of them. */
function renderInvalidReports(evaluation: ApprovalEvaluation): string[] {
  if (evaluation.invalidReports.length === 0) return [];
  const lines = [`invalid report files (GitLab refuses them; rules that need them follow fallback_behavior):`];
  for (const report of evaluation.invalidReports) lines.push(`  - ${report.pipeline}: ${report.message}`);
  return [lines.join('\n')];
}

function renderPolicy(policy: PolicyEvaluation): string {
  const state = !policy.applied ? 'not applied' : !policy.violated ? 'passed' : policy.approvalsRequired > 0 ? `VIOLATED (${policy.approvalsRequired} approval(s) required)` : 'VIOLATED (optional approval)';
  const lines = [`${policy.name} [${policy.policyProject}]: ${state}`, ...policy.reasons.map((reason) => `  - ${reason}`)];
  for (const finding of policy.findings.slice(0, 10)) lines.push(`  * ${finding.severity} ${finding.scanner}: ${finding.name} (${finding.location})${finding.new ? ' [new]' : ''}`);
  if (policy.findings.length > 10) lines.push(`  * ...and ${policy.findings.length - 10} more`);
  return lines.join('\n');
}

function verdictLine(evaluation: ApprovalEvaluation, enforcement: Enforcement): string {
  if (!evaluation.violated) return 'verdict: no approval policy is violated';
  if (!evaluation.blocking) return 'verdict: violations found, approvals optional (approvals_required: 0)';
  if (enforcement === 'approval-rules') return 'verdict: approval required: merge request approval rules are set, an eligible approver can unblock the merge';
  if (enforcement === 'unavailable') return 'verdict: BLOCKED: approvals cannot be required on this GitLab (approval rules need Premium): the job fails instead';
  return 'verdict: BLOCKED: approval required by policy';
}
