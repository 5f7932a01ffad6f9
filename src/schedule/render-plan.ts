/** The schedule plan and the pipeline schedule changes as text for people (the command's output). */
import type { SchedulePlan, WantedPipelineSchedule } from './plan-schedules.js';
import type { ScheduleChange } from './reconcile-schedules.js';

export function renderSchedulePlan(project: string, plan: SchedulePlan): string {
  const lines = [`Scheduled scans of ${project} at ${plan.at}`];
  if (plan.scans.length === 0) lines.push('  none');
  for (const scan of plan.scans) {
    lines.push(
      `  "${scan.policy}" rule ${scan.rule} on ${scan.branch}: ${scan.scans.join(', ')}`,
      `    cron "${scan.cron}" ${scan.timezone}, window ${scan.windowSeconds} s; last ${scan.lastRun ?? 'never'}, next ${scan.nextRun ?? 'never'}; ${scan.due ? 'DUE' : 'not due'}`,
    );
  }
  const ignored = plan.decisions.filter((decision) => !decision.applied);
  if (plan.skipped.length > 0 || ignored.length > 0) lines.push('Not scheduled:');
  for (const decision of ignored) lines.push(`  "${decision.name}" (${decision.policyProject}): ${decision.reason}`);
  for (const skip of plan.skipped) lines.push(`  "${skip.policy}" rule ${skip.rule}: ${skip.reason}`);
  return `${lines.join('\n')}\n`;
}

const HEADINGS = {
  offline: 'Pipeline schedules (workspace mode: the schedules that should exist):',
  'dry-run': 'Pipeline schedules (dry run; --apply changes GitLab):',
  applied: 'Pipeline schedules (applied):',
};

export function renderScheduleChanges(changes: readonly ScheduleChange[], mode: keyof typeof HEADINGS): string {
  const lines = [HEADINGS[mode]];
  if (changes.length === 0) lines.push('  none');
  for (const change of changes) {
    switch (change.kind) {
      case 'create':
        lines.push(`  create "${change.wanted.description}": ${describeWanted(change.wanted)}`);
        break;
      case 'update':
        lines.push(`  update #${change.id} "${change.wanted.description}": ${change.differences.join('; ')}`);
        break;
      case 'keep':
        lines.push(`  keep #${change.id} "${change.wanted.description}"`);
        break;
      case 'delete':
        lines.push(`  delete #${change.id} "${change.description}"`);
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

function describeWanted(wanted: WantedPipelineSchedule): string {
  const variables = Object.entries(wanted.variables).map(([key, value]) => `${key}=${value}`);
  return `ref ${wanted.ref}, cron "${wanted.cron}" ${wanted.cronTimezone}, ${variables.join(', ')}`;
}
