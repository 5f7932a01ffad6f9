/**
 * scan_finding rules with the project's recorded findings (the policy store, passed in as
 * knownFindings): dismissals decide the new states, recorded states count as pre-existing ones,
 * first_seen is the age, and without records nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { knownFindingsOf, type KnownFindingState } from '../../../src/gating/approvals/known-findings.js';
import { approvalPolicy, evaluate, finding, only, reports, required, scanRule } from './approval-builders.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const daysAgo = (days: number): string => new Date(NOW - days * 86_400_000).toISOString();
const record = (id: string, state: KnownFindingState, extra: { severity?: string; reportType?: string; firstSeen?: string } = {}) => ({
  identity: id,
  reportType: extra.reportType ?? 'sast',
  severity: extra.severity ?? 'critical',
  name: `Finding ${id}`,
  state,
  firstSeen: extra.firstSeen ?? daysAgo(100),
});

describe('scan_finding rules with the recorded default-branch findings', () => {
  const back = finding('came-back');
  const knownFindings = knownFindingsOf([record('came-back', 'dismissed')]);

  it('a new finding dismissed in the store: not counted by a new_needs_triage rule, with the reason', () => {
    const evaluation = evaluate([approvalPolicy('Triage', [scanRule({ vulnerability_states: ['new_needs_triage'] })])], { source: reports([back]), knownFindings });
    expect(required(evaluation)).toEqual({ Triage: 0 });
    expect(only(evaluation).reasons).toContain('rule 1 (scan_finding): 1 newly detected finding dismissed in the policy store: not counted (new_needs_triage only)');
    // The same run without the store: the report carries no state, so the finding needs triage.
    expect(required(evaluate([approvalPolicy('Triage', [scanRule({ vulnerability_states: ['new_needs_triage'] })])], { source: reports([back]) }))).toEqual({ Triage: 2 });
  });

  it('the same finding counts for new_dismissed and for pre-existing dismissed', () => {
    expect(required(evaluate([approvalPolicy('Dismissed', [scanRule({ vulnerability_states: ['new_dismissed'] })])], { source: reports([back]), knownFindings }))).toEqual({ Dismissed: 2 });
    const pre = evaluate([approvalPolicy('Pre', [scanRule({ vulnerability_states: ['dismissed'] })])], { source: reports([back]), knownFindings });
    expect(required(pre)).toEqual({ Pre: 2 });
    expect(only(pre).findings.map((summary) => [summary.id, summary.new])).toEqual([['came-back', true]]);
  });

  it('vulnerability_states [detected] counts recorded detected findings on the default branch, even ones no pipeline reports (§2.3)', () => {
    const records = knownFindingsOf([record('on-main', 'detected'), record('fixed-here', 'detected'), record('low', 'detected', { severity: 'low' }), record('dast', 'detected', { reportType: 'dast' })]);
    const evaluation = evaluate([approvalPolicy('Detected', [scanRule({ vulnerability_states: ['detected'] })])], { source: reports([finding('on-main')]), target: reports([finding('on-main')]), knownFindings: records });
    expect(required(evaluation)).toEqual({ Detected: 2 });
    const policy = only(evaluation);
    // Severity and scanner filters apply to the records; the one the MR fixes still counts (GitLab's documented side effect).
    expect(policy.findings.map((summary) => [summary.id, summary.location])).toEqual([
      ['fixed-here', 'default branch (policy store)'],
      ['on-main', 'src/on-main.js:1'],
    ]);
    expect(policy.reasons).toContain('rule 1 (scan_finding): states from the policy store: 4 findings recorded on the default branch');
    expect(policy.reasons).toContain('rule 1 (scan_finding): 2 findings in detected > vulnerabilities_allowed 0 (scanners sast; severity critical)');
  });

  it('a mixed rule counts recorded states only among both pipelines\' findings (§2.2)', () => {
    const records = knownFindingsOf([record('on-main', 'detected'), record('elsewhere', 'detected')]);
    const evaluation = evaluate([approvalPolicy('Mixed', [scanRule({ vulnerability_states: ['new_needs_triage', 'detected'], vulnerabilities_allowed: 1 })])], {
      source: reports([finding('on-main')]),
      target: reports([finding('on-main')]),
      knownFindings: records,
    });
    expect(only(evaluation).reasons).toContain('rule 1 (scan_finding): 0 newly detected findings + 1 finding in detected <= vulnerabilities_allowed 1 (scanners sast; severity critical)');
  });

  it('pre-existing states count only when the merge request targets the default branch', () => {
    const records = knownFindingsOf([record('on-main', 'detected')]);
    const evaluation = evaluate([approvalPolicy('Detected', [scanRule({ vulnerability_states: ['detected'], branches: ['develop'] })])], { targetBranch: 'develop', knownFindings: records });
    expect(required(evaluation)).toEqual({ Detected: 0 });
  });

  it('vulnerability_age measures from first_seen in the store', () => {
    const records = knownFindingsOf([record('old', 'detected', { firstSeen: daysAgo(40) }), record('young', 'detected', { firstSeen: daysAgo(3) })]);
    const evaluation = evaluate([approvalPolicy('Old', [scanRule({ vulnerability_states: ['detected'], vulnerability_age: { operator: 'greater_than', value: 1, interval: 'month' } })])], {
      knownFindings: records,
    });
    expect(only(evaluation).findings.map((summary) => summary.id)).toEqual(['old']);
  });

  it('a recorded state wins over none in the report; an empty store says so and changes nothing', () => {
    const pre = [approvalPolicy('Confirmed', [scanRule({ vulnerability_states: ['confirmed'] })])];
    expect(required(evaluate(pre, { source: reports([finding('x')]), knownFindings: knownFindingsOf([record('x', 'confirmed')]) }))).toEqual({ Confirmed: 2 });
    const empty = evaluate(pre, { source: reports([finding('x', { state: 'confirmed' })]), knownFindings: knownFindingsOf([]) });
    expect(required(empty)).toEqual({ Confirmed: 2 });
    expect(only(empty).reasons).toContain('rule 1 (scan_finding): the policy store has no finding recorded on the default branch yet: states only from the reports');
  });
});
