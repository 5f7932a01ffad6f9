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
}

export function describeScanActions(selection: ScanSelection, generated: GeneratedScanJobs, merge: ScanMerge): ScanActionOutcome[] {
  let next = 0;
  return selection.actionReasons.map((reason): ScanActionOutcome => {
    const base = { policy: reason.policy, action: reason.action, scan: reason.scan };
    // selectScanActions lists the applied actions in the order of `actions`, as their reasons.
    const made = reason.applied ? generated.perAction[next++] : undefined;
    if (made === undefined) return { ...base, policyProject: null, applied: false, reason: reason.reason, template: null, jobs: [], excludedJobs: [] };
    const applied = merge.merged;
    return {
      ...base,
      policyProject: made.action.policy.policyProject.path,
      applied,
      reason: applied ? reason.reason : `${reason.reason}; ${merge.reason}`,
      template: made.template ?? null,
      jobs: applied ? made.jobs : [],
      excludedJobs: made.excluded,
    };
  });
}
