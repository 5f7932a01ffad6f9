/**
 * Which policies apply, in which order, and why the others do not: gitlab-pep-sep.md §1.4,
 * §3.4 and §7 behaviours 1–3 and 8.
 */
import { describe, expect, it } from 'vitest';
import { selectPipelineExecutionPolicies, selectScanExecutionPolicies } from '../../src/policies/select-policies.js';
import type { LoadedPolicy, Policy } from '../../src/policies/types.js';
import { pep, policyFile, PROJECT_LEVEL, sep, subject, SUBGROUP, TOP_GROUP } from './policy-builders.js';

const names = (selected: readonly LoadedPolicy<Policy>[]) => selected.map((loaded) => loaded.policy.name);

describe('policy selection', () => {
  it('seven-enabled-peps-keep-first-five', () => {
    const file = policyFile(TOP_GROUP, { pipeline_execution_policy: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((name) => pep(name)) });
    const { selected, decisions } = selectPipelineExecutionPolicies([file], subject());
    expect(names(selected).sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(decisions.filter((decision) => !decision.applied)).toEqual([5, 6].map((index) => ({
      name: `p${index + 1}`,
      type: 'pipeline_execution_policy',
      policyProject: 'acme/top-policies',
      index,
      applied: false,
      reason: 'over the limit of 5 pipeline execution policies per policy project: only the first 5 enabled ones of acme/top-policies are read',
    })));
  });

  it('disabled-seps-do-not-use-slots', () => {
    const file = policyFile(TOP_GROUP, {
      scan_execution_policy: [sep('disabled', { enabled: false }), ...['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((name) => sep(name))],
    });
    const { selected, decisions } = selectScanExecutionPolicies([file], subject());
    expect(names(selected)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(selected.map((loaded) => loaded.index)).toEqual([1, 2, 3, 4, 5]);
    expect(decisions.map((decision) => [decision.name, decision.applied])).toEqual([
      ['disabled', false], ['e1', true], ['e2', true], ['e3', true], ['e4', true], ['e5', true], ['e6', false],
    ]);
  });

  it('disabled peps do not use slots either (same GitLab code shape)', () => {
    const file = policyFile(TOP_GROUP, {
      pipeline_execution_policy: [pep('off', { enabled: false }), ...['e1', 'e2', 'e3', 'e4', 'e5'].map((name) => pep(name))],
    });
    expect(names(selectPipelineExecutionPolicies([file], subject()).selected).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('hierarchy-limit-five-top-level-first', () => {
    const files = [
      policyFile(TOP_GROUP, { pipeline_execution_policy: ['t0', 't1', 't2', 't3'].map((name) => pep(name)) }),
      policyFile(SUBGROUP, { pipeline_execution_policy: ['s0', 's1'].map((name) => pep(name)) }),
      policyFile(PROJECT_LEVEL, { pipeline_execution_policy: ['p0', 'p1'].map((name) => pep(name)) }),
    ];
    const { selected, decisions } = selectPipelineExecutionPolicies(files, subject());
    // Merge order: the reversed hierarchy list, so the subgroup policy first and the top-level ones last.
    expect(names(selected)).toEqual(['s0', 't3', 't2', 't1', 't0']);
    expect(selected.map((loaded) => [loaded.policyProject.id, loaded.index])).toEqual([[200, 0], [100, 3], [100, 2], [100, 1], [100, 0]]);
    expect(decisions.map((decision) => `${decision.policyProject}[${decision.index}] ${decision.applied}`)).toEqual([
      'acme/top-policies[0] true', 'acme/top-policies[1] true', 'acme/top-policies[2] true', 'acme/top-policies[3] true',
      'acme/sub/sub-policies[0] true', 'acme/sub/sub-policies[1] false',
      'acme/sub/app-policies[0] false', 'acme/sub/app-policies[1] false',
    ]);
    expect(decisions[5]?.reason).toBe('over the limit of 5 pipeline execution policies per pipeline: policies higher in the hierarchy win');
  });

  it('disabled-has-no-effect', () => {
    const file = policyFile(TOP_GROUP, {
      pipeline_execution_policy: [pep('off', { enabled: false, policy_scope: { projects: { including: [{ id: 123 }] } } })],
      scan_execution_policy: [sep('off', { enabled: false })],
    });
    for (const who of [subject(), subject({ projectId: 999, groupIds: [], complianceFrameworks: [1] })]) {
      const peps = selectPipelineExecutionPolicies([file], who);
      const seps = selectScanExecutionPolicies([file], who);
      expect(peps.selected).toEqual([]);
      expect(seps.selected).toEqual([]);
      expect([...peps.decisions, ...seps.decisions].map((decision) => decision.reason)).toEqual([
        'disabled (enabled: false)', 'disabled (enabled: false)',
      ]);
    }
  });

  it('scope is applied after the per-project limit, before the per-pipeline limit', () => {
    const outOfScope = { policy_scope: { projects: { excluding: [{ id: 123 }] } } };
    const files = [
      policyFile(TOP_GROUP, { pipeline_execution_policy: [pep('t0', outOfScope), ...['t1', 't2', 't3', 't4', 't5'].map((name) => pep(name))] }),
      policyFile(SUBGROUP, { pipeline_execution_policy: [pep('s0')] }),
    ];
    const { selected, decisions } = selectPipelineExecutionPolicies(files, subject());
    // t0 used a per-project slot although it is out of scope, so t5 is not read; s0 fills the pipeline.
    expect(names(selected)).toEqual(['s0', 't4', 't3', 't2', 't1']);
    expect(decisions[0]?.reason).toBe('out of scope: project 123 is excluded by policy_scope.projects.excluding');
    expect(decisions[5]?.reason).toMatch(/^over the limit of 5 pipeline execution policies per policy project/);
    expect(decisions[1]?.reason).toBe('in scope: policy_scope is empty: the policy applies to every project');
  });

  it('limits are configurable beyond GitLab’s five', () => {
    const file = policyFile(TOP_GROUP, { pipeline_execution_policy: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => pep(name)) });
    const { selected } = selectPipelineExecutionPolicies([file], subject(), { perPolicyProject: 10, perPipeline: 6 });
    expect(names(selected)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(selectScanExecutionPolicies([policyFile(TOP_GROUP, { scan_execution_policy: ['a', 'b', 'c'].map((name) => sep(name)) })], subject(), { perPolicyProject: 2 }).selected).toHaveLength(2);
  });
});
