/** Keeping our GitLab pipeline schedules in line with the plan, never touching anyone else's. */
import { describe, expect, it } from 'vitest';
import type { WantedPipelineSchedule } from '../../src/schedule/plan-schedules.js';
import { reconcileSchedules, type ExistingPipelineSchedule } from '../../src/schedule/reconcile-schedules.js';

const wanted = (branch: string, cron = '0 0 * * *'): WantedPipelineSchedule => ({
  description: `policy-sidecar: Nightly #0 (${branch})`,
  ref: branch,
  cron,
  cronTimezone: 'UTC',
  variables: { POLICY_SIDECAR_SCHEDULED_SCAN: 'security/policies:0:0' },
});

const existing = (id: number, want: WantedPipelineSchedule, changes: Partial<ExistingPipelineSchedule> = {}): ExistingPipelineSchedule => ({
  id,
  description: want.description,
  ref: `refs/heads/${want.ref}`,
  cron: want.cron,
  cronTimezone: want.cronTimezone,
  active: true,
  variables: want.variables,
  ...changes,
});

describe('reconcileSchedules', () => {
  it('creates, keeps, updates and deletes ours only', () => {
    const main = wanted('main');
    const dev = wanted('dev', '0 3 * * *');
    const stable = wanted('stable');
    const changes = reconcileSchedules(
      [main, dev, stable],
      [
        existing(1, main),
        existing(2, dev, { cron: '0 1 * * *', active: false, variables: {} }),
        existing(3, wanted('old')),
        { id: 4, description: 'nightly deploy', ref: 'main', cron: '0 0 * * *', cronTimezone: 'UTC', active: true, variables: {} },
        existing(5, main),
      ],
    );
    expect(changes.map((change) => [change.kind, 'id' in change ? change.id : undefined])).toEqual([
      ['keep', 1], ['update', 2], ['create', undefined], ['delete', 3], ['delete', 5],
    ]);
    const update = changes[1];
    expect(update?.kind === 'update' ? update.differences : []).toEqual([
      'cron "0 1 * * *" → "0 3 * * *"',
      'inactive → active',
      'variable POLICY_SIDECAR_SCHEDULED_SCAN (none) → security/policies:0:0',
    ]);
  });

  it('nothing wanted: every schedule of ours goes, others stay', () => {
    const changes = reconcileSchedules([], [existing(7, wanted('main')), { ...existing(8, wanted('main')), description: 'Policy-sidecar lookalike' }]);
    expect(changes).toEqual([{ kind: 'delete', id: 7, description: 'policy-sidecar: Nightly #0 (main)' }]);
  });
});
