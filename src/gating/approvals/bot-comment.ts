/**
 * The one merge request comment (§2.8), found again by its hidden marker and edited in place.
 * Sections in GitLab's order, each only when relevant: summary, newly detected findings,
 * previously existing ones, unsigned commits, out-of-policy licences, errors. Lists stop at 10
 * with a "more violations detected" line. The comment is suppressed when every violated policy
 * has `send_bot_message: {enabled: false}`.
 */
import type { ApprovalEvaluation, PolicyEvaluation } from './evaluate-approval-policies.js';
import type { FindingSummary, LicenseViolation } from './rule-check.js';

export const BOT_COMMENT_MARKER = '<!-- policy-sidecar:approval-policies -->';
const LIST_LIMIT = 10;

/** The comment body, or undefined when there is nothing to say (no violation, or all suppressed). */
export function renderBotComment(evaluation: ApprovalEvaluation): string | undefined {
  const violated = evaluation.policies.filter((policy) => policy.violated);
  if (violated.length === 0 || !violated.some((policy) => policy.botMessage)) return undefined;
  const blocking = violated.filter((policy) => policy.approvalsRequired > 0);
  const rules = violated.flatMap((policy) => policy.rules);
  const findings = violated.flatMap((policy) => policy.findings);
  const lines = [BOT_COMMENT_MARKER, `<!-- violated_reports: ${reportTypesOf(violated).join(',')} -->`];
  lines.push(
    blocking.length > 0
      ? `**Policy violation(s) detected.** This merge request is blocked until an eligible approver approves it, or the violations are resolved, in: ${blocking.map((policy) => `**${policy.name}**`).join(', ')}.`
      : `**Policy violation(s) detected**, approvals optional (approvals_required: 0): consider asking a reviewer of ${violated.map((policy) => `**${policy.name}**`).join(', ')}.`,
  );
  const skipped = evaluation.policies.filter((policy) => policy.rules.some((rule) => rule.status === 'skipped-open')).map((policy) => policy.name);
  if (skipped.length > 0) lines.push('', `Skipped because they fail open: ${skipped.join(', ')}.`);
  section(lines, 'Newly detected vulnerabilities', findings.filter((finding) => finding.new).map(findingLine));
  section(lines, 'Previously existing vulnerabilities', findings.filter((finding) => !finding.new).map(findingLine));
  section(lines, 'Unsigned commits', unique(rules.flatMap((rule) => rule.check.unsignedCommits)).map((sha) => `- ${sha}`));
  section(lines, 'Out-of-policy licenses', rules.flatMap((rule) => rule.check.licenses).map(licenseLine));
  section(lines, 'Errors', unique(rules.filter((rule) => rule.status === 'failed-closed').flatMap((rule) => (rule.check.error === undefined ? [] : [`- ${rule.check.error.code}: ${rule.check.error.message}`]))));
  return lines.join('\n') + '\n';
}

/** What the comment becomes when every violation is gone (GitLab edits it, never deletes it). */
export function renderResolvedComment(): string {
  return `${BOT_COMMENT_MARKER}\n**Security policy violations have been resolved.**\n`;
}

function reportTypesOf(policies: readonly PolicyEvaluation[]): string[] {
  const names = { scan_finding: 'scan_finding', license_finding: 'license_scanning', any_merge_request: 'any_merge_request' } as const;
  const types = policies.flatMap((policy) => policy.rules.filter((rule) => rule.status === 'violated' || rule.status === 'failed-closed').map((rule) => names[rule.type]));
  return unique(types).sort();
}

function section(lines: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push('', `#### ${title}`, '', ...items.slice(0, LIST_LIMIT));
  if (items.length > LIST_LIMIT) lines.push(`- ...and ${items.length - LIST_LIMIT} more violations detected`);
}

function findingLine(finding: FindingSummary): string {
  return `- **${finding.severity}** ${finding.name}: \`${finding.location}\` (${finding.scanner.replace(/_/g, ' ')})`;
}

function licenseLine(violation: LicenseViolation): string {
  const shown = violation.dependencies.slice(0, LIST_LIMIT).join(', ');
  return `- ${violation.license}: used by ${shown}${violation.dependencies.length > LIST_LIMIT ? ' …and more' : ''}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
