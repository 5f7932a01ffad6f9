/**
 * Which scan execution policy actions apply to a pipeline: gitlab-pep-sep.md §5.1, §5.5 and §7
 * behaviours 45–55 and 70. Job names are S1's concern; here the selected scans and their indexes.
 */
import { describe, expect, it } from 'vitest';
import { selectScanActions } from '../../../src/compose/sep/select-actions.js';
import { policyFile, SUBGROUP, TOP_GROUP } from '../../policies/policy-builders.js';
import { scanInput, scanPolicy } from './select-builders.js';

const scans = (input: Parameters<typeof selectScanActions>[0]) =>
  selectScanActions(input).actions.map((action) => `${action.scan}-${action.index}`);

describe('scan execution policy rules (§7 45–53)', () => {
  it('45 branches-main: a push to main gets secret detection, a push to feature none', () => {
    const policies = [scanPolicy('main only', [{ type: 'pipeline', branches: ['main'] }])];
    expect(scans(scanInput(policies))).toEqual(['secret_detection-0']);
    const other = selectScanActions(scanInput(policies, { pipeline: { branch: 'feature' } }));
    expect(other.actions).toEqual([]);
    expect(other.decisions[0]).toMatchObject({ applied: false, reason: 'no rule selects branch feature' });
  });

  it('46 branches-glob: release/* matches release/v1.2.1, not releases', () => {
    const policies = [scanPolicy('releases', [{ type: 'pipeline', branches: ['release/*'] }])];
    expect(scans(scanInput(policies, { pipeline: { branch: 'release/v1.2.1' } }))).toEqual(['secret_detection-0']);
    expect(scans(scanInput(policies, { pipeline: { branch: 'releases' } }))).toEqual([]);
  });

  it('47 branch-type-protected: a group-level protected pattern stable-* covers stable-1', () => {
    const policies = [scanPolicy('protected', [{ type: 'pipeline', branch_type: 'protected' }])];
    const input = scanInput(policies, { pipeline: { branch: 'stable-1' }, branches: { protected: ['main', 'stable-*'] } });
    expect(scans(input)).toEqual(['secret_detection-0']);
    expect(scans(scanInput(policies, { pipeline: { branch: 'feature' } }))).toEqual([]);
  });

  it('48 branch-type-default-and-all', () => {
    const byDefault = [scanPolicy('default', [{ type: 'pipeline', branch_type: 'default' }])];
    expect(scans(scanInput(byDefault))).toEqual(['secret_detection-0']);
    expect(scans(scanInput(byDefault, { pipeline: { branch: 'dev' } }))).toEqual([]);
    const all = [scanPolicy('all', [{ type: 'pipeline', branch_type: 'all' }])];
    expect(scans(scanInput(all, { pipeline: { branch: 'any/thing' } }))).toEqual(['secret_detection-0']);
  });

  it('49 branch-exception-other-project-ignored: {name: main, full_path: g/other} does not exclude main in g/this', () => {
    const policies = [scanPolicy('all', [{ type: 'pipeline', branch_type: 'all', branch_exceptions: [{ name: 'main', full_path: 'g/other' }] }])];
    expect(scans(scanInput(policies))).toEqual(['secret_detection-0']);
    const there = selectScanActions(scanInput(policies, { projectPath: 'g/other' }));
    expect(there.actions).toEqual([]);
    expect(there.decisions[0]?.reason).toBe('branch main is selected by rule 0 (branch_type: all) but excluded by branch_exceptions of rule 0: main (g/other)');
  });

  it('branch-exceptions-of-all-rules-are-subtracted (strings and patterns)', () => {
    const policies = [
      scanPolicy('two rules', [
        { type: 'pipeline', branches: ['main', 'hotfix/*'] },
        { type: 'pipeline', branch_type: 'all', branch_exceptions: ['hotfix/*'] },
      ]),
    ];
    expect(scans(scanInput(policies, { pipeline: { branch: 'hotfix/1' } }))).toEqual([]);
    expect(scans(scanInput(policies))).toEqual(['secret_detection-0']);
  });

  it('50 target-default: a push on feat is scanned only while an open MR from feat targets the default branch', () => {
    const policies = [scanPolicy('mr to default', [{ type: 'pipeline', branch_type: 'target_default' }])];
    expect(scans(scanInput(policies, { pipeline: { branch: 'feat' }, branches: { openMergeRequestTargets: ['main'] } }))).toEqual(['secret_detection-0']);
    expect(scans(scanInput(policies, { pipeline: { branch: 'feat' }, branches: { openMergeRequestTargets: ['dev'] } }))).toEqual([]);
    expect(scans(scanInput(policies, { pipeline: { branch: 'feat' } }))).toEqual([]);
  });

  it('target-protected: an open MR to a protected branch', () => {
    const policies = [scanPolicy('mr to protected', [{ type: 'pipeline', branch_type: 'target_protected' }])];
    const input = scanInput(policies, { pipeline: { branch: 'feat' }, branches: { protected: ['release/*'], openMergeRequestTargets: ['release/2'] } });
    expect(scans(input)).toEqual(['secret_detection-0']);
    expect(scans(scanInput(policies, { pipeline: { branch: 'feat' }, branches: { openMergeRequestTargets: ['dev'] } }))).toEqual([]);
  });

  it('51 pipeline-sources-including: push gets no scan, an MR pipeline on a matching branch does', () => {
    const policies = [scanPolicy('mr only', [{ type: 'pipeline', branches: ['feat'], pipeline_sources: { including: ['merge_request_event'] } }])];
    const push = selectScanActions(scanInput(policies, { pipeline: { branch: 'feat' } }));
    expect(push.actions).toEqual([]);
    expect(push.decisions[0]?.reason).toBe('no rule lists pipeline source push in pipeline_sources');
    expect(scans(scanInput(policies, { pipeline: { branch: 'feat', source: 'merge_request_event' } }))).toEqual(['secret_detection-0']);
  });

  it('pipeline-sources-list-shape and blank source', () => {
    const policies = [scanPolicy('web', [{ type: 'pipeline', branches: ['main'], pipeline_sources: ['web'] }])];
    expect(scans(scanInput(policies, { pipeline: { source: 'web' } }))).toEqual(['secret_detection-0']);
    expect(scans(scanInput(policies))).toEqual([]);
    expect(scans(scanInput(policies, { pipeline: { source: '' } }))).toEqual(['secret_detection-0']);
  });

  it('branch-and-source-checked-separately: branch on rule 0 and source on rule 1 apply together (GitLab quirk)', () => {
    const policies = [
      scanPolicy('quirk', [
        { type: 'pipeline', branches: ['main'], pipeline_sources: ['web'] },
        { type: 'pipeline', branches: ['other'], pipeline_sources: ['push'] },
      ]),
    ];
    const result = selectScanActions(scanInput(policies));
    expect(result.actions.map((action) => action.scan)).toEqual(['secret_detection']);
    expect(result.decisions[0]?.reason).toBe(
      'rule 0 selects branch main (branches: main); rule 1 lists pipeline source push (different rules: GitLab checks branches and sources separately)',
    );
  });

  it('52 tag-pipeline: branch_type all, tag v1.0, no jobs', () => {
    const policies = [scanPolicy('all', [{ type: 'pipeline', branch_type: 'all' }])];
    const result = selectScanActions(scanInput(policies, { pipeline: { branch: undefined, tag: 'v1.0' } }));
    expect(result.actions).toEqual([]);
    expect(result.decisions[0]).toMatchObject({ applied: false, reason: 'tag pipelines (v1.0) get no scan execution policy jobs: the ref must be a branch' });
  });

  it('53 child-pipeline: no jobs, nor for other dangling sources', () => {
    const policies = [scanPolicy('all', [{ type: 'pipeline', branch_type: 'all' }])];
    expect(scans(scanInput(policies, { pipeline: { isChild: true } }))).toEqual([]);
    expect(scans(scanInput(policies, { pipeline: { source: 'parent_pipeline' } }))).toEqual([]);
    const scheduled = selectScanActions(scanInput(policies, { pipeline: { source: 'security_orchestration_policy' } }));
    expect(scheduled.decisions[0]?.reason).toBe('pipeline source security_orchestration_policy is not a CI source: no scan execution policy jobs');
  });

  it('schedule-only-policy-does-not-apply-to-pipelines', () => {
    const policies = [scanPolicy('nightly', [{ type: 'schedule', cadence: '0 0 * * *', branches: ['main'] }])];
    const result = selectScanActions(scanInput(policies));
    expect(result.actions).toEqual([]);
    expect(result.decisions[0]?.reason).toBe('no type: pipeline rule (schedule rules run through `policy-sidecar schedule`)');
  });

  it('scope-after-per-project-limit: an out-of-scope policy still uses one of the 5 slots', () => {
    const all = { type: 'pipeline', branch_type: 'all' };
    const policies = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => scanPolicy(name, [all]));
    policies.unshift(scanPolicy('elsewhere', [all], [{ scan: 'sast' }], { policy_scope: { projects: { including: [{ id: 999 }] } } }));
    const result = selectScanActions(scanInput(policies));
    expect(result.decisions.map((decision) => decision.applied)).toEqual([false, true, true, true, true, false, false]);
    expect(result.decisions[0]?.reason).toBe('out of scope: project 123 is not in policy_scope.projects.including');
  });
});

describe('scan execution policy actions (§5.1 step 6, §7 54, 55, 70)', () => {
  const all = [{ type: 'pipeline', branch_type: 'all' }];

  it('54 numbering: non-DAST actions count 0..n-1 across policies', () => {
    const files = [
      policyFile(TOP_GROUP, { scan_execution_policy: [scanPolicy('top', all, [{ scan: 'secret_detection' }, { scan: 'sast' }])] }),
      policyFile(SUBGROUP, { scan_execution_policy: [scanPolicy('sub', all, [{ scan: 'container_scanning' }])] }),
    ];
    expect(scans(scanInput([], { files }))).toEqual(['secret_detection-0', 'sast-1', 'container_scanning-2']);
  });

  it('55 dast-numbered-separately: [dast(A), secret_detection, dast(B)]', () => {
    const actions = [{ scan: 'dast', site_profile: 'A' }, { scan: 'secret_detection' }, { scan: 'dast', site_profile: 'B', scanner_profile: 'fast' }];
    const result = selectScanActions(scanInput([scanPolicy('dast', all, actions)]));
    expect(result.actions.map((action) => [action.scan, action.index, action.siteProfile, action.scannerProfile])).toEqual([
      ['dast', 0, 'A', undefined],
      ['secret_detection', 0, undefined, undefined],
      ['dast', 1, 'B', 'fast'],
    ]);
  });

  it('70 first-ten-actions: a policy with 12 actions gives 10', () => {
    const actions = Array.from({ length: 12 }, (_, index) => ({ scan: 'sast', variables: { N: String(index) } }));
    const result = selectScanActions(scanInput([scanPolicy('many', all, actions)]));
    expect(result.actions.map((action) => action.variables['N'])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(result.actionReasons.filter((reason) => !reason.applied)).toEqual([10, 11].map((action) => ({
      policy: 'many', action, scan: 'sast', applied: false, reason: 'over the limit of 10 actions per policy',
    })));
  });

  it('exact-duplicates-removed across policies, key order ignored; near duplicates kept', () => {
    const policies = [
      scanPolicy('one', all, [{ scan: 'sast', variables: { A: '1' }, tags: ['x'] }]),
      scanPolicy('two', all, [{ tags: ['x'], variables: { A: '1' }, scan: 'sast' }, { scan: 'sast', variables: { A: '2' } }]),
    ];
    const result = selectScanActions(scanInput(policies));
    expect(result.actions.map((action) => [action.policy.policy.name, action.index, action.variables['A']])).toEqual([['one', 0, '1'], ['two', 1, '2']]);
    expect(result.actionReasons[1]).toEqual({ policy: 'two', action: 0, scan: 'sast', applied: false, reason: 'exact duplicate of action 0 of "one": removed' });
  });

  it('unknown-scans-dropped before numbering: custom and cluster_image_scanning', () => {
    const actions = [{ scan: 'custom', ci_configuration: 'job: {script: [x]}' }, { scan: 'cluster_image_scanning' }, { scan: 'sast_iac' }];
    const result = selectScanActions(scanInput([scanPolicy('mixed', all, actions)]));
    expect(scans(scanInput([scanPolicy('mixed', all, actions)]))).toEqual(['sast_iac-0']);
    expect(result.actionReasons.map((reason) => reason.reason)).toEqual([
      'scan custom is not injected into pipelines',
      'scan cluster_image_scanning is not injected into pipelines',
      'job index 0; rule 0 selects branch main (branch_type: all); rule 0 has no pipeline_sources (any source)',
    ]);
  });

  it('action-settings are read: variables, tags, template, scan_settings', () => {
    const actions = [{ scan: 'sast', variables: { SAST_EXCLUDED_PATHS: 'spec' }, tags: ['docker-small'], template: 'latest', scan_settings: { ignore_default_before_after_script: true } }];
    const [action] = selectScanActions(scanInput([scanPolicy('settings', all, actions)])).actions;
    expect(action).toMatchObject({
      scan: 'sast', index: 0, variables: { SAST_EXCLUDED_PATHS: 'spec' }, tags: ['docker-small'], template: 'latest', ignoreDefaultBeforeAfterScript: true,
    });
    const [plain] = selectScanActions(scanInput([scanPolicy('plain', all)])).actions;
    expect(plain).toMatchObject({ tags: undefined, template: 'default', ignoreDefaultBeforeAfterScript: false, siteProfile: undefined });
  });
});

describe('[skip ci] for scan execution policies (§5.5)', () => {
  const all = [{ type: 'pipeline', branch_type: 'all' }];
  const skip = { pipeline: { commitMessage: 'docs [skip ci]', userId: 75 } };

  it('absent-skip-ci-ignores-the-directive', () => {
    const result = selectScanActions(scanInput([scanPolicy('strict', all)], skip));
    expect(result.skipCi).toEqual({ skip: false, reason: '[skip ci] ignored: not allowed by "strict"' });
    expect(result.actions).toHaveLength(1);
  });

  it('every-applicable-policy-must-allow (allowlist by user id)', () => {
    const allowlisted = scanPolicy('allowlist', all, undefined, { skip_ci: { allowed: false, allowlist: { users: [{ id: 75 }] } } });
    const open = scanPolicy('open', all, [{ scan: 'sast' }], { skip_ci: { allowed: true } });
    expect(selectScanActions(scanInput([allowlisted, open], skip)).skipCi.skip).toBe(true);
    expect(selectScanActions(scanInput([allowlisted, open], { pipeline: { commitMessage: '[ci skip]', userId: 76 } })).skipCi.skip).toBe(false);
    // A policy that does not apply to the branch has no say.
    const elsewhere = scanPolicy('elsewhere', [{ type: 'pipeline', branches: ['dev'] }]);
    expect(selectScanActions(scanInput([open, elsewhere], skip)).skipCi.skip).toBe(true);
  });

  it('no-directive-no-skip', () => {
    expect(selectScanActions(scanInput([scanPolicy('p', all)])).skipCi).toEqual({ skip: false, reason: 'no [skip ci] in the commit message' });
  });
});
