/**
 * gitlab-approvals-status-checks.md §7.28–§7.33 (several policies and rules, optional approvals,
 * the bot comment), the legacy key, scope and the stable outputs (JSON, JUnit).
 */
import { describe, expect, it } from 'vitest';
import { emitApprovalJunit } from '../../../src/gating/approvals/approval-junit.js';
import { emitApprovalReportJson } from '../../../src/gating/approvals/approval-report.js';
import { BOT_COMMENT_MARKER, renderBotComment } from '../../../src/gating/approvals/bot-comment.js';
import { approvalPolicy, component, evaluate, finding, licenseRule, only, reports, required, requireApproval, scanRule } from './approval-builders.js';

const newCritical = { source: reports([finding('n')]) };

describe('several policies and rules', () => {
  it('§7.28 two violated policies, each its own approval rule with its own group approvers', () => {
    const evaluation = evaluate(
      [
        approvalPolicy('A', [scanRule()], { actions: [requireApproval(1, { role_approvers: undefined, group_approvers_ids: [1] })] }),
        approvalPolicy('B', [scanRule()], { actions: [requireApproval(1, { role_approvers: undefined, group_approvers_ids: [2] })] }),
      ].map(withoutUndefined),
      newCritical,
    );
    expect(required(evaluation)).toEqual({ A: 1, B: 1 });
    expect(evaluation.policies.map((policy) => policy.approvalRules[0]?.approvers.groupApproverIds)).toEqual([[1], [2]]);
  });

  it('§7.29 two rules both violated → "Pol" and "Pol 2" required', () => {
    const evaluation = evaluate([approvalPolicy('Pol', [scanRule(), licenseRule()])], {
      source: reports([finding('n')], { components: [component('gpl', ['GPL-3.0-only'])] }),
      target: reports([], { components: [] }),
    });
    expect(required(evaluation)).toEqual({ Pol: 2, 'Pol 2': 2 });
  });

  it('§7.29 only the licence rule violated → "Pol" = 0, "Pol 2" = 2', () => {
    const evaluation = evaluate([approvalPolicy('Pol', [scanRule(), licenseRule()])], {
      source: reports([], { types: ['sast'], components: [component('gpl', ['GPL-3.0-only'])] }),
      target: reports([], { components: [] }),
    });
    expect(required(evaluation)).toEqual({ Pol: 0, 'Pol 2': 2 });
  });

  it('§7.30 approvals_required 0 and violated → not blocking; the comment offers optional approval', () => {
    const evaluation = evaluate([approvalPolicy('Pol', [scanRule()], { actions: [requireApproval(0)] })], newCritical);
    expect([evaluation.violated, evaluation.blocking, only(evaluation).approvalsRequired]).toEqual([true, false, 0]);
    expect(renderBotComment(evaluation)).toContain('approvals optional');
  });

  it('the legacy scan_result_policy key is evaluated like approval_policy', () => {
    const evaluation = evaluate([approvalPolicy('Old', [scanRule()])], newCritical, 'scan_result_policy');
    expect([only(evaluation).type, required(evaluation)]).toEqual(['scan_result_policy', { Old: 2 }]);
  });

  it('a disabled policy and an out-of-scope policy do not apply, and say why', () => {
    const evaluation = evaluate(
      [approvalPolicy('Off', [scanRule()], { enabled: false }), approvalPolicy('Elsewhere', [scanRule()], { policy_scope: { projects: { including: [{ id: 999 }] } } })],
      newCritical,
    );
    expect(evaluation.policies.map((policy) => [policy.applied, policy.reasons[0]])).toEqual([
      [false, 'disabled (enabled: false)'],
      [false, 'out of scope: project 123 is not in policy_scope.projects.including'],
    ]);
    expect(evaluation.violated).toBe(false);
  });
});

describe('bot comment', () => {
  it('starts with the hidden marker and lists the new finding', () => {
    const comment = renderBotComment(evaluate([approvalPolicy('Pol', [scanRule()])], newCritical)) ?? '';
    expect(comment.startsWith(`${BOT_COMMENT_MARKER}\n<!-- violated_reports: scan_finding -->\n`)).toBe(true);
    expect(comment).toContain('#### Newly detected vulnerabilities\n\n- **critical** Finding n: `src/n.js:1` (sast)');
  });

  it('no violation → no comment', () => {
    expect(renderBotComment(evaluate([approvalPolicy('Pol', [scanRule()])]))).toBeUndefined();
  });

  it('§7.32 send_bot_message disabled on every violated policy → no comment', () => {
    const off = { actions: [requireApproval(), { type: 'send_bot_message', enabled: false }] };
    expect(renderBotComment(evaluate([approvalPolicy('Pol', [scanRule()], off)], newCritical))).toBeUndefined();
  });

  it('§7.32 another violated policy leaves the comment on → a comment', () => {
    const off = { actions: [requireApproval(), { type: 'send_bot_message', enabled: false }] };
    expect(renderBotComment(evaluate([approvalPolicy('Quiet', [scanRule()], off), approvalPolicy('Loud', [scanRule()])], newCritical))).toContain('**Quiet**, **Loud**');
  });

  it('§7.33 15 new violating findings → 10 listed, then a "more violations detected" line', () => {
    const many = Array.from({ length: 15 }, (_, index) => finding(`f${String(index).padStart(2, '0')}`));
    const comment = renderBotComment(evaluate([approvalPolicy('Pol', [scanRule()])], { source: reports(many) })) ?? '';
    expect(comment.split('\n').filter((line) => line.startsWith('- **critical**'))).toHaveLength(10);
    expect(comment).toContain('- ...and 5 more violations detected');
  });

  it('§7.22 lists unsigned commits', () => {
    const evaluation = evaluate([approvalPolicy('Pol', [{ type: 'any_merge_request', branches: ['main'], commits: 'unsigned' }])], {
      mergeRequest: { commits: [{ sha: 'bbbbbbbb22cc', signed: false }] },
    });
    expect(renderBotComment(evaluation)).toContain('#### Unsigned commits\n\n- bbbbbbbb');
  });
});

describe('outputs', () => {
  it('--report JSON has exactly the contract keys', () => {
    const json = JSON.parse(emitApprovalReportJson(evaluate([approvalPolicy('Pol', [scanRule()])], newCritical))) as { policies: Record<string, unknown>[]; violated: boolean };
    expect(Object.keys(json)).toEqual(['policies', 'violated']);
    expect(Object.keys(json.policies[0] ?? {})).toEqual(['name', 'type', 'policyProject', 'applied', 'violated', 'approvalsRequired', 'reasons', 'findings']);
    expect(json.policies[0]?.['findings']).toEqual([{ id: 'n', scanner: 'sast', severity: 'critical', name: 'Finding n', new: true }]);
    expect(json.violated).toBe(true);
  });

  it('JUnit: one failing test case per violated policy, skipped when not applied', () => {
    const xml = emitApprovalJunit(evaluate([approvalPolicy('Pol', [scanRule()]), approvalPolicy('Off', [scanRule()], { enabled: false })], newCritical), 'grp/app');
    expect(xml).toContain('tests="2" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<failure message="violated: 2 approval(s) required" type="approval-policy-violated">');
    expect(xml).toContain('<skipped message="not applied: disabled (enabled: false)">');
  });

  it('the same evaluation gives the same bytes', () => {
    const run = () => emitApprovalReportJson(evaluate([approvalPolicy('Pol', [scanRule()])], newCritical));
    expect(run()).toBe(run());
  });
});

function withoutUndefined(entry: Record<string, unknown>): Record<string, unknown> {
  const actions = (entry['actions'] as Record<string, unknown>[]).map((action) => Object.fromEntries(Object.entries(action).filter(([, value]) => value !== undefined)));
  return { ...entry, actions };
}
