/**
 * The `evaluate --junit` file: one test case per approval policy, so the merge request widget
 * lists them. A violated policy is a `failure` whose text is its reasons; a policy that did not
 * apply is `skipped`; a passed one passes with its reasons as system-out. No times: the same
 * evaluation gives the same bytes.
 */
import { escapeXml } from '../../emit/junit.js';
import type { ApprovalEvaluation, PolicyEvaluation } from './evaluate-approval-policies.js';

const SUITE = 'policy-sidecar approval policies';

export function emitApprovalJunit(evaluation: ApprovalEvaluation, project: string): string {
  const { policies } = evaluation;
  const failures = policies.filter((policy) => policy.violated).length;
  const skipped = policies.filter((policy) => !policy.applied).length;
  const totals = `tests="${policies.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" ${totals}>`,
    `  <testsuite name="${SUITE}" ${totals}>`,
    '    <properties>',
    `      <property name="project" value="${escapeXml(project)}"/>`,
    '    </properties>',
    ...policies.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function renderCase(policy: PolicyEvaluation): string[] {
  const text = policy.reasons.join('\n');
  const lines = [`    <testcase classname="${escapeXml(policy.policyProject)}" name="${escapeXml(`${policy.name} (${policy.type} #${policy.index})`)}">`];
  if (policy.violated) {
    const message = `violated: ${policy.approvalsRequired === 0 ? 'optional approval' : `${policy.approvalsRequired} approval(s) required`}`;
    lines.push(`      <failure message="${escapeXml(message)}" type="approval-policy-violated">${escapeXml(text)}</failure>`);
  } else if (!policy.applied) {
    lines.push(`      <skipped message="${escapeXml(`not applied: ${policy.reasons[0] ?? ''}`)}">${escapeXml(text)}</skipped>`);
  }
  lines.push(`      <system-out>${escapeXml(text)}</system-out>`, '    </testcase>');
  return lines;
}
