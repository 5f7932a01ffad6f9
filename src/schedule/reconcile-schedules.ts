/**
 * What to change in GitLab so that our pipeline schedules match the plan: create the missing
 * ones, update those that differ, delete ours that are no longer wanted. Only schedules whose
 * description starts with SCHEDULE_DESCRIPTION_PREFIX are ours; others are never touched.
 */
import type { WantedPipelineSchedule } from './plan-schedules.js';
import { SCHEDULE_DESCRIPTION_PREFIX } from './scheduled-scan-id.js';

export interface ExistingPipelineSchedule {
  readonly id: number;
  readonly description: string;
  readonly ref: string;
  readonly cron: string;
  readonly cronTimezone: string;
  readonly active: boolean;
  /** Read for our schedules only. */
  readonly variables: Readonly<Record<string, string>>;
}

export type ScheduleChange =
  | { readonly kind: 'create'; readonly wanted: WantedPipelineSchedule }
  | { readonly kind: 'update'; readonly id: number; readonly wanted: WantedPipelineSchedule; readonly existing: ExistingPipelineSchedule; readonly differences: readonly string[] }
  | { readonly kind: 'keep'; readonly id: number; readonly wanted: WantedPipelineSchedule }
  | { readonly kind: 'delete'; readonly id: number; readonly description: string };

export function isOurSchedule(description: string): boolean {
  return description.startsWith(SCHEDULE_DESCRIPTION_PREFIX);
}

export function reconcileSchedules(wanted: readonly WantedPipelineSchedule[], existing: readonly ExistingPipelineSchedule[]): ScheduleChange[] {
  const ours = existing.filter((schedule) => isOurSchedule(schedule.description)).sort((a, b) => a.id - b.id);
  const claimed = new Set<number>();
  const changes: ScheduleChange[] = [];
  for (const want of wanted) {
    const match = ours.find((schedule) => schedule.description === want.description && !claimed.has(schedule.id));
    if (match === undefined) {
      changes.push({ kind: 'create', wanted: want });
      continue;
    }
    claimed.add(match.id);
    const differences = differencesOf(want, match);
    changes.push(differences.length === 0 ? { kind: 'keep', id: match.id, wanted: want } : { kind: 'update', id: match.id, wanted: want, existing: match, differences });
  }
  for (const schedule of ours) {
    if (!claimed.has(schedule.id)) changes.push({ kind: 'delete', id: schedule.id, description: schedule.description });
  }
  return changes;
}

function differencesOf(want: WantedPipelineSchedule, have: ExistingPipelineSchedule): string[] {
  const differences: string[] = [];
  // GitLab may return the ref as refs/heads/<branch>.
  if (have.ref.replace(/^refs\/heads\//, '') !== want.ref) differences.push(`ref ${have.ref} → ${want.ref}`);
  if (have.cron.trim().split(/\s+/).join(' ') !== want.cron) differences.push(`cron "${have.cron}" → "${want.cron}"`);
  if (have.cronTimezone !== want.cronTimezone) differences.push(`cron_timezone ${have.cronTimezone} → ${want.cronTimezone}`);
  if (!have.active) differences.push('inactive → active');
  for (const [key, value] of Object.entries(want.variables)) {
    if (have.variables[key] !== value) differences.push(`variable ${key} ${have.variables[key] ?? '(none)'} → ${value}`);
  }
  return differences;
}
