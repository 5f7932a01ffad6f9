/** policy_scope matching: gitlab-pep-sep.md §1.3 and §7 behaviours 4–7. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPolicyScope } from '../../src/policies/policy-scope.js';
import type { PolicyScope } from '../../src/policies/types.js';
import { subject } from './policy-builders.js';

describe('policy_scope', () => {
  it('exclusion-wins', () => {
    const scope: PolicyScope = { projects: { including: [1], excluding: [1] } };
    expect(matchesPolicyScope(scope, subject({ projectId: 1 }))).toEqual({
      matches: false,
      reason: 'project 1 is excluded by policy_scope.projects.excluding',
    });
  });

  it('frameworks-and-projects-are-anded', () => {
    const scope: PolicyScope = { complianceFrameworks: [9], projects: { including: [], excluding: [456] } };
    expect(matchesPolicyScope(scope, subject({ projectId: 123, complianceFrameworks: [9] })).matches).toBe(true);
    expect(matchesPolicyScope(scope, subject({ projectId: 456, complianceFrameworks: [9] })).matches).toBe(false);
    expect(matchesPolicyScope(scope, subject({ projectId: 123, complianceFrameworks: [] }))).toEqual({
      matches: false,
      reason: 'project has none of the compliance frameworks 9 of policy_scope.compliance_frameworks',
    });
  });

  it('groups-match-ancestors', () => {
    const scope: PolicyScope = { groups: { including: [7], excluding: [] } };
    // A project in a sub-subgroup of group 7: its ancestors are 7, 70 and 700.
    expect(matchesPolicyScope(scope, subject({ groupIds: [7, 70, 700] }))).toEqual({
      matches: true,
      reason: 'ancestor group 7 is in policy_scope.groups.including',
    });
    expect(matchesPolicyScope(scope, subject({ groupIds: [8, 80] })).matches).toBe(false);
    expect(matchesPolicyScope({ groups: { including: [], excluding: [70] } }, subject({ groupIds: [7, 70, 700] })).matches).toBe(false);
  });

  it('empty-scope-applies-everywhere', () => {
    const everyone = { matches: true, reason: 'policy_scope is empty: the policy applies to every project' };
    expect(matchesPolicyScope(undefined, subject())).toEqual(everyone);
    expect(matchesPolicyScope({}, subject())).toEqual(everyone);
    expect(matchesPolicyScope({ complianceFrameworks: [], projects: { including: [], excluding: [] } }, subject())).toEqual(everyone);
  });

  it('match_mode any needs only one present dimension to match', () => {
    const scope: PolicyScope = { complianceFrameworks: [9], groups: { including: [11], excluding: [] }, matchMode: 'any' };
    expect(matchesPolicyScope(scope, subject({ complianceFrameworks: [] })).matches).toBe(true);
    expect(matchesPolicyScope(scope, subject({ complianceFrameworks: [], groupIds: [12] })).matches).toBe(false);
  });

  it('excludes personal or archived projects by kind', () => {
    const scope: PolicyScope = { projects: { including: [], excluding: [], excludingKinds: ['archived'] } };
    expect(matchesPolicyScope(scope, subject({ archived: true })).matches).toBe(false);
    expect(matchesPolicyScope(scope, subject({ personal: true })).matches).toBe(true);
  });
});

const ids = fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 5 });
const scopes = fc.record(
  {
    complianceFrameworks: ids,
    projects: fc.record({ including: ids, excluding: ids }),
    groups: fc.record({ including: ids, excluding: ids }),
    matchMode: fc.constant<'all'>('all'),
  },
  { requiredKeys: [] },
);
const subjects = fc.record({ projectId: fc.integer({ min: 1, max: 50 }), groupIds: ids, complianceFrameworks: ids });

describe('policy_scope properties', () => {
  it('excluding the project itself never matches, whatever else the scope says', () => {
    fc.assert(
      fc.property(scopes, subjects, (scope, who) => {
        const projects = { including: scope.projects?.including ?? [], excluding: [...(scope.projects?.excluding ?? []), who.projectId] };
        expect(matchesPolicyScope({ ...scope, projects }, who).matches).toBe(false);
      }),
    );
  });

  it('excluding any ancestor group never matches', () => {
    fc.assert(
      fc.property(scopes, subjects, fc.integer({ min: 1, max: 50 }), (scope, who, group) => {
        const groups = { including: scope.groups?.including ?? [], excluding: [...(scope.groups?.excluding ?? []), group] };
        expect(matchesPolicyScope({ ...scope, groups }, { ...who, groupIds: [...who.groupIds, group] }).matches).toBe(false);
      }),
    );
  });

  it('adding a dimension can only narrow an AND scope', () => {
    fc.assert(
      fc.property(scopes, subjects, ids, (scope, who, frameworks) => {
        const wider = { ...scope, complianceFrameworks: undefined };
        const narrower = { ...scope, complianceFrameworks: frameworks };
        if (matchesPolicyScope(narrower, who).matches) expect(matchesPolicyScope(wider, who).matches).toBe(true);
      }),
    );
  });

  it('a scope naming the project in including, with no other dimension, always matches', () => {
    fc.assert(
      fc.property(subjects, ids, (who, others) => {
        expect(matchesPolicyScope({ projects: { including: [...others, who.projectId], excluding: [] } }, who).matches).toBe(true);
      }),
    );
  });
});
