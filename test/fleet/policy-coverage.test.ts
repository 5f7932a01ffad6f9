/**
 * audit's per-project policy verdicts when compliance frameworks are known, not read, or
 * unreadable (src/fleet/policy-coverage.ts). Pure: policy files built in memory.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS_UNKNOWN, policiesFor, scopedByFrameworks } from '../../src/fleet/policy-coverage.js';
import { pep, policyFile, TOP_GROUP } from '../policies/policy-builders.js';

const soc2 = pep('soc2', { policy_scope: { compliance_frameworks: [{ id: 3 }] } });
const soc2OrAcme = pep('soc2-or-acme', { policy_scope: { compliance_frameworks: [{ id: 3 }], groups: { including: [{ id: 10 }] }, match_mode: 'any' } });
const acme = pep('acme', { policy_scope: { groups: { including: [{ id: 10 }] } } });
const off = pep('off', { enabled: false, policy_scope: { compliance_frameworks: [{ id: 3 }] } });
const files = [policyFile(TOP_GROUP, { pipeline_execution_policy: [soc2, soc2OrAcme, acme, off] })];
const verdicts = (frameworks: Parameters<typeof policiesFor>[1]['complianceFrameworks']) =>
  policiesFor(files, { projectId: 1, groupIds: [10], ...(frameworks === undefined ? {} : { complianceFrameworks: frameworks }) }).map((policy) => [policy.name, policy.applied, policy.reason]);

describe('policiesFor and compliance frameworks', () => {
  it('frameworks are read only when a policy scope names them', () => {
    expect(scopedByFrameworks(files)).toBe(true);
    expect(scopedByFrameworks([policyFile(TOP_GROUP, { pipeline_execution_policy: [acme] })])).toBe(false);
  });

  it('known frameworks: the verdicts compose gives', () => {
    expect(verdicts([3])).toEqual([
      ['soc2', true, 'in scope: project has compliance framework 3'],
      ['soc2-or-acme', true, 'in scope: project has compliance framework 3 (match_mode: any)'],
      ['acme', true, 'in scope: ancestor group 10 is in policy_scope.groups.including'],
      ['off', false, 'disabled (enabled: false)'],
    ]);
    expect(verdicts([])[0]).toEqual(['soc2', false, 'out of scope: project has none of the compliance frameworks 3 of policy_scope.compliance_frameworks']);
  });

  it('unreadable frameworks: out of scope becomes unknown; in scope anyway (match_mode: any) and disabled stay', () => {
    expect(verdicts('unreadable')).toEqual([
      ['soc2', false, FRAMEWORKS_UNKNOWN],
      ['soc2-or-acme', true, 'in scope: ancestor group 10 is in policy_scope.groups.including (match_mode: any)'],
      ['acme', true, 'in scope: ancestor group 10 is in policy_scope.groups.including'],
      ['off', false, 'disabled (enabled: false)'],
    ]);
  });
});
