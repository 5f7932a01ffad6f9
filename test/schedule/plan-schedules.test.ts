/**
 * The schedule plan from `type: schedule` rules (gitlab-pep-sep.md §4.1): branches, cadence,
 * time zone, time window, what is due, the pipeline schedules wanted, and why a rule is skipped.
 */
import { describe, expect, it } from 'vitest';
import { planSchedules, type SchedulePlanInput } from '../../src/schedule/plan-schedules.js';
import { policyFile, sep, subject, TOP_GROUP } from '../policies/policy-builders.js';

type Entry = Record<string, unknown>;

function plan(rules: Entry[], overrides: Partial<SchedulePlanInput> = {}, extra: Entry = {}) {
  return planSchedules({
    files: [policyFile(TOP_GROUP, { scan_execution_policy: [sep('Nightly', { rules, actions: [{ scan: 'sast' }, { scan: 'secret_detection' }], ...extra })] })],
    subject: subject(),
    branches: { projectPath: 'acme/web', defaultBranch: 'main', protectedBranches: ['main', 'release/*'], existing: ['main', 'release/1', 'release/2', 'feature'] },
    limits: { perPolicyProject: 5, actionsPerPolicy: 10 },
    at: new Date('2025-06-01T02:10:00Z'),
    ...overrides,
  });
}

describe('planSchedules', () => {
  it('daily-default-branch: one scan on main, due within 15 minutes after 00:00 UTC', () => {
    const result = plan([{ type: 'schedule', cadence: '@daily', branch_type: 'default' }], { at: new Date('2025-06-01T00:14:59Z') });
    expect(result.scans).toEqual([
      {
        id: 'acme/top-policies:0:0',
        policy: 'Nightly',
        policyProject: 'acme/top-policies',
        policyIndex: 0,
        rule: 0,
        branch: 'main',
        cron: '0 0 * * *',
        timezone: 'UTC',
        windowSeconds: 900,
        lastRun: '2025-06-01T00:00:00.000Z',
        nextRun: '2025-06-02T00:00:00.000Z',
        due: true,
        scans: ['sast', 'secret_detection'],
      },
    ]);
    expect(result.schedules).toEqual([
      { description: 'policy-sidecar: Nightly #0 (main)', ref: 'main', cron: '0 0 * * *', cronTimezone: 'UTC', variables: { POLICY_SIDECAR_SCHEDULED_SCAN: 'acme/top-policies:0:0' } },
    ]);
    expect(plan([{ type: 'schedule', cadence: '@daily', branch_type: 'default' }], { at: new Date('2025-06-01T00:15:00Z') }).scans[0]?.due).toBe(false);
  });

  it('time-window-and-timezone: due while within time_window.value after the cadence in that zone', () => {
    const rule = { type: 'schedule', cadence: '0 4 * * *', timezone: 'Europe/Berlin', time_window: { distribution: 'random', value: 3600 }, branches: ['main'] };
    const [scan] = plan([rule], { at: new Date('2025-06-01T02:59:00Z') }).scans;
    expect(scan).toMatchObject({ timezone: 'Europe/Berlin', windowSeconds: 3600, lastRun: '2025-06-01T02:00:00.000Z', due: true });
    expect(plan([rule], { at: new Date('2025-06-01T03:00:00Z') }).scans[0]?.due).toBe(false);
  });

  it('branch-patterns-and-exceptions select existing branches, one schedule each', () => {
    const result = plan([{ type: 'schedule', cadence: '0 1 * * 0', branch_type: 'protected', branch_exceptions: ['release/2'] }]);
    expect(result.scans.map((scan) => scan.branch)).toEqual(['main', 'release/1']);
    expect(result.schedules.map((schedule) => schedule.description)).toEqual(['policy-sidecar: Nightly #0 (main)', 'policy-sidecar: Nightly #0 (release/1)']);
    const globbed = plan([{ type: 'schedule', cadence: '0 1 * * 0', branches: ['release/*', 'gone'] }]);
    expect(globbed.scans.map((scan) => scan.branch)).toEqual(['release/1', 'release/2']);
  });

  it('offline-branches: without a branch list, default, protected and named branches without * count as existing', () => {
    const branches = { projectPath: 'acme/web', defaultBranch: 'main', protectedBranches: ['main', 'release/*', 'stable'], existing: undefined };
    expect(plan([{ type: 'schedule', cadence: '@daily', branch_type: 'all' }], { branches }).scans.map((scan) => scan.branch)).toEqual(['main', 'stable']);
    expect(plan([{ type: 'schedule', cadence: '@daily', branches: ['dev'] }], { branches }).scans.map((scan) => scan.branch)).toEqual(['dev']);
  });

  it.each([
    [{ type: 'schedule', cadence: '0 */6 * * *', branches: ['main'] }, 'cadence "0 */6 * * *": GitLab skips cadences whose minute or hour field uses , - or / (daily or weekly cadences only)'],
    [{ type: 'schedule', cadence: '0 0 0 * * *', branches: ['main'] }, 'cron "0 0 0 * * *" has 6 fields; only the 5-field form (minute hour day month weekday) is supported'],
    [{ type: 'schedule', cadence: '@daily', timezone: 'Mars/Olympus', branches: ['main'] }, 'unknown time zone Mars/Olympus'],
    [{ type: 'schedule', cadence: '@daily', branches: ['nope-*'] }, 'no existing branch is selected by the rule'],
    [{ type: 'schedule', cadence: '@daily', agents: { prod: { namespaces: ['app'] } } }, 'agents rules scan Kubernetes clusters through the GitLab agent: not supported'],
  ])('skipped-rule %#', (rule, reason) => {
    const result = plan([rule]);
    expect(result.scans).toEqual([]);
    expect(result.skipped).toEqual([{ policy: 'Nightly', policyProject: 'acme/top-policies', rule: 0, reason }]);
  });

  it('pipeline-rules-are-not-scheduled, and scope still applies', () => {
    const mixed = plan([{ type: 'pipeline', branches: ['main'] }, { type: 'schedule', cadence: '@weekly', branches: ['main'] }]);
    expect(mixed.scans.map((scan) => [scan.rule, scan.cron])).toEqual([[1, '0 0 * * 0']]);
    const outOfScope = plan([{ type: 'schedule', cadence: '@daily', branches: ['main'] }], {}, { policy_scope: { projects: { excluding: [{ id: 123 }] } } });
    expect(outOfScope.scans).toEqual([]);
    expect(outOfScope.decisions[0]).toMatchObject({ applied: false, reason: 'out of scope: project 123 is excluded by policy_scope.projects.excluding' });
  });

  it('skip_ci plays no part in schedules', () => {
    const result = plan([{ type: 'schedule', cadence: '@daily', branches: ['main'] }], {}, { skip_ci: { allowed: true } });
    expect(result.scans).toHaveLength(1);
  });
});
