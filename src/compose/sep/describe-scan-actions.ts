/**
 * The report's account of scan execution policy actions: per action of each applicable policy,
 * whether it made jobs, which rule made the policy apply, and the jobs' names.
 */
import type { GeneratedScanJobs } from './generate-scan-jobs.js';
import type { ScanMerge } from './merge-scan-jobs.js';
import type { ScanSelection } from './select-actions.js';

export interface ScanActionOutcome {
  readonly policy: string;
  readonly policyProject: string | null;
  /** Position in the policy's `actions` list. */
  readonly action: number;
  readonly scan: string;
  readonly applied: boolean;
  readonly reason: string;
  /** The template file used, or null (not applied, or an error job). */
  readonly template: string | null;
  /** Its jobs in the pipeline, and those its rules left out. */
  readonly jobs: readonly string[];
  readonly excludedJobs: readonly string[];
  /**
   * `applied-no-jobs`: the action applied but every job it made dropped out by its rules (e.g. a
   * branch-pipeline template in a merge request pipeline): no scan runs, and the report says so.
   */
  readonly outcome: ScanOutcome;
  /** Each excluded job with the rule that dropped it: `name: reason`. */
  readonly droppedBy: readonly string[];
}

export type ScanOutcome = 'applied' | 'applied-no-jobs' | 'not-applied';

export function describeScanActions(selection: ScanSelection, generated: GeneratedScanJobs, merge: ScanMerge): ScanActionOutcome[] {
  let next = 0;
  const dropReasons = new Map(generated.excluded.map((job) => [job.name, job.reason]));
  return selection.actionReasons.map((reason): ScanActionOutcome => {
    const base = { policy: reason.policy, action: reason.action, scan: reason.scan };
    // selectScanActions lists the applied actions in the order of `actions`, as their reasons.
    const made = reason.applied ? generated.perAction[next++] : undefined;
    if (made === undefined) return { ...base, policyProject: null, applied: false, reason: reason.reason, template: null, jobs: [], excludedJobs: [], outcome: 'not-applied', droppedBy: [] };
    const applied = merge.merged;
    const jobs = applied ? made.jobs : [];
    const droppedBy = made.excluded.map((name) => `${name}: ${dropReasons.get(name) ?? 'left out by rules'}`);
    return {
      ...base,
      policyProject: made.action.policy.policyProject.path,
      applied,
      reason: applied ? reason.reason : `${reason.reason}; ${merge.reason}`,
      template: made.template ?? null,
      jobs,
      excludedJobs: made.excluded,
      // Jobs all dropped by rules: "applied, no jobs", also when that left no pipeline to merge into.
      outcome: made.jobs.length === 0 ? 'applied-no-jobs' : applied ? 'applied' : 'not-applied',
      droppedBy,
    };
  });
}
