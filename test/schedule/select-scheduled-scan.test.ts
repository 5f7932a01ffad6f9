/** Compose's side of a scheduled scan: POLICY_SIDECAR_SCHEDULED_SCAN names the policy and rule whose scans run. */
import { describe, expect, it } from 'vitest';
import { selectScheduledScanActions } from '../../src/schedule/select-scheduled-scan.js';
import { policyFile, sep, subject, TOP_GROUP } from '../policies/policy-builders.js';

const files = [
  policyFile(TOP_GROUP, {
    scan_execution_policy: [
      sep('On push', { rules: [{ type: 'pipeline', branches: ['*'] }], actions: [{ scan: 'secret_detection' }] }),
      sep('Nightly', {
        rules: [{ type: 'pipeline', branches: ['dev'] }, { type: 'schedule', cadence: '@daily', branches: ['main'] }],
        actions: [{ scan: 'sast' }, { scan: 'dast', site_profile: 'site' }, { scan: 'sast' }],
        skip_ci: { allowed: true },
      }),
    ],
  }),
];

function select(scheduledScan: string, branch = 'main') {
  return selectScheduledScanActions({
    files,
    subject: subject(),
    scheduledScan,
    branch,
    branches: { projectPath: 'acme/web', defaultBranch: 'main', protectedBranches: ['main'], existing: undefined },
    limits: { perPolicyProject: 5, actionsPerPolicy: 10 },
  });
}

describe('selectScheduledScanActions', () => {
  it('runs only the named policy\'s scans, numbered and deduplicated as in pipelines', () => {
    const result = select('acme/top-policies:1:1');
    expect(result.actions.map((action) => `${action.scan}-${action.index}`)).toEqual(['sast-0', 'dast-0']);
    expect(result.decisions.map((decision) => [decision.name, decision.applied])).toEqual([['On push', false], ['Nightly', true]]);
    expect(result.skipCi).toEqual({ skip: false, reason: 'schedule rules ignore [skip ci]' });
  });

  it.each([
    ['nonsense', 'main', 'POLICY_SIDECAR_SCHEDULED_SCAN=nonsense is not <policy project>:<policy index>:<rule index>'],
    ['acme/top-policies:7:0', 'main', 'scheduled scan acme/top-policies:7:0: no applicable scan execution policy at acme/top-policies index 7'],
    ['acme/top-policies:1:0', 'main', 'scheduled scan acme/top-policies:1:0: rule 0 of "Nightly" is not a schedule rule'],
    ['acme/top-policies:1:1', 'dev', 'scheduled scan acme/top-policies:1:1: rule 1 of "Nightly" does not select branch dev'],
  ])('a stale or wrong id runs nothing: %s on %s', (id, branch, reason) => {
    const result = select(id, branch);
    expect(result.actions).toEqual([]);
    expect(result.decisions.every((decision) => !decision.applied && decision.reason === reason)).toBe(true);
  });
});
