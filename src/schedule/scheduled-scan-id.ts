/**
 * How a GitLab pipeline schedule created by `policy-sidecar schedule` names what it runs: its
 * description (which also marks it as ours) and the POLICY_SIDECAR_SCHEDULED_SCAN variable that
 * tells compose to run only that policy's scans.
 */

/** Schedules whose description starts with this are ours; no other schedule is ever touched. */
export const SCHEDULE_DESCRIPTION_PREFIX = 'policy-sidecar: ';

/** The pipeline variable of our schedules: compose runs only the scans it names. */
export const SCHEDULED_SCAN_VARIABLE = 'POLICY_SIDECAR_SCHEDULED_SCAN';

export interface ScheduledScanId {
  /** Full path of the security policy project. */
  readonly policyProject: string;
  /** Index in its `scan_execution_policy` list. */
  readonly policyIndex: number;
  /** Index in the policy's `rules` list. */
  readonly rule: number;
}

/** `<policy project path>:<policy index>:<rule index>`; project paths hold no `:`. */
export function formatScheduledScanId(id: ScheduledScanId): string {
  return `${id.policyProject}:${id.policyIndex}:${id.rule}`;
}

export function parseScheduledScanId(text: string): ScheduledScanId | undefined {
  const match = /^([^:]+):(\d+):(\d+)$/.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  return { policyProject: match[1], policyIndex: Number(match[2]), rule: Number(match[3]) };
}

/** `policy-sidecar: <policy> #<rule> (<branch>)`. */
export function describeSchedule(policy: string, rule: number, branch: string): string {
  return `${SCHEDULE_DESCRIPTION_PREFIX}${policy} #${rule} (${branch})`;
}
