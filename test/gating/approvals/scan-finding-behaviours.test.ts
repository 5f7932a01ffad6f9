/**
 * gitlab-approvals-status-checks.md §7, the scan_finding and branch behaviours: each row names
 * its scenario; "Required = k" is the approval rule's approvals_required after evaluation.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalInput } from '../../../src/gating/approvals/evaluate-approval-policies.js';
import { approvalPolicy, evaluate, finding, reports, required, scanRule } from './approval-builders.js';

type Entry = Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly rule: Entry;
  readonly input: Partial<ApprovalInput>;
  readonly required: number;
  readonly policyExtra?: Entry;
}

const critical = finding('new-critical');
const dismissed = finding('new-dismissed', { state: 'dismissed' });
const daysAgo = (days: number): string => new Date(Date.parse('2025-06-01T00:00:00Z') - days * 86_400_000).toISOString();
const detected = (id: string, days = 100) => finding(id, { state: 'detected', detectedAt: daysAgo(days) });

const cases: Case[] = [
  { name: '§7.1 a new critical SAST finding not in the target → Required = 2', rule: scanRule(), input: { source: reports([critical]) }, required: 2 },
  { name: '§7.2 the new finding is high: severity filter → 0', rule: scanRule(), input: { source: reports([finding('h', { severity: 'high' })]) }, required: 0 },
  { name: '§7.3 new_needs_triage: the only new finding is dismissed → 0', rule: scanRule({ vulnerability_states: ['new_needs_triage'] }), input: { source: reports([dismissed]) }, required: 0 },
  { name: '§7.4 new_dismissed: a new undismissed finding → 0', rule: scanRule({ vulnerability_states: ['new_dismissed'] }), input: { source: reports([critical]) }, required: 0 },
  { name: '§7.4 new_dismissed: a new dismissed finding → required', rule: scanRule({ vulnerability_states: ['new_dismissed'] }), input: { source: reports([dismissed]) }, required: 2 },
  { name: '§7.5 both new states: dismissal does not matter → required', rule: scanRule({ vulnerability_states: ['new_needs_triage', 'new_dismissed'] }), input: { source: reports([dismissed]) }, required: 2 },
  {
    name: '§7.6 scanners [dependency_scanning]: the only new finding is container scanning → 0',
    rule: scanRule({ scanners: ['dependency_scanning'] }),
    input: { source: reports([finding('cs', { reportType: 'container_scanning' })], { types: ['container_scanning', 'dependency_scanning'] }) },
    required: 0,
  },
  { name: '§7.7 scanners []: a new finding of any scanner counts → required', rule: scanRule({ scanners: [] }), input: { source: reports([finding('d', { reportType: 'dast' })]), target: reports([], { types: ['dast'] }) }, required: 2 },
  {
    name: '§7.8 fix_available true: a new DS finding without a fix → 0',
    rule: scanRule({ scanners: ['dependency_scanning'], vulnerability_attributes: { fix_available: true } }),
    input: { source: reports([finding('ds', { reportType: 'dependency_scanning', fixAvailable: false })]) },
    required: 0,
  },
  {
    name: '§7.8 fix_available true: a new DS finding with a fix → required',
    rule: scanRule({ scanners: ['dependency_scanning'], vulnerability_attributes: { fix_available: true } }),
    input: { source: reports([finding('ds', { reportType: 'dependency_scanning', fixAvailable: true })]) },
    required: 2,
  },
  { name: '§7.9 false_positive false: a new finding flagged as likely false positive → 0', rule: scanRule({ vulnerability_attributes: { false_positive: false } }), input: { source: reports([finding('fp', { falsePositive: true })]) }, required: 0 },
  {
    name: '§7.10 scanners []: the target has sast + secret_detection, the source only sast → SCAN_REMOVED, required (fail closed)',
    rule: scanRule({ scanners: [] }),
    input: { source: reports([], { types: ['sast'] }), target: reports([], { types: ['sast', 'secret_detection'] }) },
    required: 2,
  },
  {
    name: '§7.38 a rule naming a scanner whose report is missing (rejected) from the source → required (fail closed)',
    rule: scanRule({ scanners: ['secret_detection'] }),
    input: { source: reports([], { types: ['sast'] }) },
    required: 2,
  },
  { name: '§7.12 detected only: one detected critical on the default branch → required without a pipeline', rule: scanRule({ vulnerability_states: ['detected'] }), input: { source: reports([], { types: [] }), target: reports([detected('old')]) }, required: 2 },
  {
    name: '§7.13 vulnerability_age greater_than 30 days: detected 10 days ago → 0',
    rule: scanRule({ vulnerability_states: ['detected'], vulnerability_age: { operator: 'greater_than', value: 30, interval: 'day' } }),
    input: { target: reports([detected('old', 10)]) },
    required: 0,
  },
  {
    name: '§7.13 vulnerability_age greater_than 30 days: detected 45 days ago → required',
    rule: scanRule({ vulnerability_states: ['detected'], vulnerability_age: { operator: 'greater_than', value: 30, interval: 'day' } }),
    input: { target: reports([detected('old', 45)]) },
    required: 2,
  },
  { name: '§7.14 detected, allowed 1, one detected → 0', rule: scanRule({ vulnerability_states: ['detected'], vulnerabilities_allowed: 1 }), input: { target: reports([detected('a')]) }, required: 0 },
  { name: '§7.14 detected, allowed 1, two detected → required', rule: scanRule({ vulnerability_states: ['detected'], vulnerabilities_allowed: 1 }), input: { target: reports([detected('a'), detected('b')]) }, required: 2 },
  {
    name: '§7.15 mixed new_needs_triage + detected, allowed 1: one new + one detected = 2 > 1 → required',
    rule: scanRule({ vulnerability_states: ['new_needs_triage', 'detected'], vulnerabilities_allowed: 1 }),
    input: { source: reports([critical, detected('a')]), target: reports([detected('a')]) },
    required: 2,
  },
  {
    name: '§7.16 detected only, MR to the protected non-default release/1 → states empty → 0',
    rule: scanRule({ vulnerability_states: ['detected'], branch_type: 'protected', branches: undefined }),
    input: { targetBranch: 'release/1', target: reports([detected('a')]) },
    required: 0,
  },
  { name: 'vulnerabilities_allowed is strictly greater than: 1 new finding with allowed 1 → 0', rule: scanRule({ vulnerabilities_allowed: 1 }), input: { source: reports([critical]) }, required: 0 },
  { name: 'a finding already on the target branch is not new → 0', rule: scanRule(), input: { source: reports([critical]), target: reports([critical]) }, required: 0 },
  { name: 'no target pipeline, fail closed → TARGET_PIPELINE_MISSING, required', rule: scanRule(), input: { target: undefined }, required: 2 },
  { name: 'no target pipeline, fail open → skipped, 0', rule: scanRule(), input: { target: undefined, source: reports([critical]) }, required: 0, policyExtra: { fallback_behavior: { fail: 'open' } } },
];

describe('scan_finding rules (reference §7)', () => {
  it.each(cases)('$name', ({ rule, input, required: expected, policyExtra }) => {
    const cleaned = Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== undefined));
    const evaluation = evaluate([approvalPolicy('Pol', [cleaned], policyExtra)], input);
    expect(required(evaluation)).toEqual({ Pol: expected });
    expect(evaluation.policies[0]?.violated).toBe(expected > 0);
  });
});

describe('findings in the outcome', () => {
  it('lists the newly detected findings of a violated rule with new: true, most severe first', () => {
    const source = reports([finding('b', { severity: 'high' }), finding('a'), finding('old')]);
    const [policy] = evaluate([approvalPolicy('Pol', [scanRule({ severity_levels: ['critical', 'high'] })])], { source, target: reports([finding('old')]) }).policies;
    expect(policy?.findings.map(({ id, severity, new: isNew }) => [id, severity, isNew])).toEqual([
      ['a', 'critical', true],
      ['b', 'high', true],
    ]);
  });

  it('says why pre-existing states cannot be counted when the reports carry no state', () => {
    const [policy] = evaluate([approvalPolicy('Pol', [scanRule({ vulnerability_states: ['detected'] })])], { target: reports([finding('x')]) }).policies;
    expect(policy?.reasons).toContain('rule 1 (scan_finding): 1 finding without a vulnerability state in the reports: not counted as detected');
  });
});
