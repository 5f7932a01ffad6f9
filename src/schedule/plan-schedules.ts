/**
 * The schedule plan (SPEC §3; gitlab-pep-sep.md §4.1): for every `type: schedule` rule of the
 * applicable scan execution policies, on every branch it selects, when the scans last ran and run
 * next, whether a run is due now, and the GitLab pipeline schedule that runs them. Pure: the
 * instant and the branch facts are passed in.
 *
 * GitLab runs SEP schedules from a worker every 15 minutes, spread over `time_window` when set;
 * a run counts as due when the cadence fired within that window (default 15 minutes) before
 * `at`. Cron is read in the rule's `timezone`, UTC when absent (GitLab.com; self-managed GitLab
 * uses the host's zone). `skip_ci` plays no part: schedule rules ignore it (§4).
 */
import { collectActions } from '../compose/sep/rules/collect-actions.js';
import { readScanRules, type ScheduleRule } from '../compose/sep/rules/read-scan-rules.js';
import { selectScanExecutionPolicies } from '../policies/select-policies.js';
import type { LoadedPolicy, OtherPolicy, PolicyDecision, PolicyFile, ScopeSubject } from '../policies/types.js';
import { parseCron } from './cron.js';
import { nextRun, previousRun, wallClockReader } from './cron-runs.js';
import { branchesOfScheduleRule, type ScheduleBranchFacts } from './schedule-branches.js';
import { describeSchedule, formatScheduledScanId, SCHEDULED_SCAN_VARIABLE } from './scheduled-scan-id.js';

export interface SchedulePlanInput {
  readonly files: readonly PolicyFile[];
  readonly subject: ScopeSubject;
  readonly branches: ScheduleBranchFacts;
  readonly limits: { readonly perPolicyProject: number; readonly actionsPerPolicy: number };
  readonly at: Date;
}

export interface ScheduledScan {
  /** POLICY_SIDECAR_SCHEDULED_SCAN: `<policy project>:<policy index>:<rule index>`. */
  readonly id: string;
  readonly policy: string;
  readonly policyProject: string;
  readonly policyIndex: number;
  readonly rule: number;
  readonly branch: string;
  /** 5-field cron, macros expanded. */
  readonly cron: string;
  readonly timezone: string;
  /** Seconds after a cadence time within which the run happens: `time_window.value`, else 900. */
  readonly windowSeconds: number;
  /** ISO instants; undefined when the cadence does not fire within a year. */
  readonly lastRun: string | undefined;
  readonly nextRun: string | undefined;
  readonly due: boolean;
  readonly scans: readonly string[];
}

export interface SkippedScheduleRule {
  readonly policy: string;
  readonly policyProject: string;
  readonly rule: number;
  readonly reason: string;
}

/** A GitLab pipeline schedule that should exist. */
export interface WantedPipelineSchedule {
  readonly description: string;
  readonly ref: string;
  readonly cron: string;
  readonly cronTimezone: string;
  readonly variables: Readonly<Record<string, string>>;
}

export interface SchedulePlan {
  readonly at: string;
  readonly decisions: readonly PolicyDecision[];
  readonly scans: readonly ScheduledScan[];
  readonly skipped: readonly SkippedScheduleRule[];
  readonly schedules: readonly WantedPipelineSchedule[];
}

/** GitLab worker period: runs without a time window are at most this late. */
const DEFAULT_WINDOW_SECONDS = 15 * 60;
/** Schedule rules enforced per policy on GitLab.com (SEP docs). */
const SCHEDULE_RULES_PER_POLICY = 10;

export function planSchedules(input: SchedulePlanInput): SchedulePlan {
  const { selected, decisions } = selectScanExecutionPolicies(input.files, input.subject, { perPolicyProject: input.limits.perPolicyProject });
  const scans: ScheduledScan[] = [];
  const skipped: SkippedScheduleRule[] = [];
  for (const loaded of selected) {
    const rules = readScanRules(loaded.policy.raw).filter((rule): rule is ScheduleRule => rule.type === 'schedule');
    const scanNames = collectActions([{ loaded, why: 'schedule' }], input.limits.actionsPerPolicy).actions.map((action) => action.scan);
    rules.forEach((rule, position) => {
      const skip = (reason: string) => skipped.push({ policy: loaded.policy.name, policyProject: loaded.policyProject.path, rule: rule.index, reason });
      if (position >= SCHEDULE_RULES_PER_POLICY) return skip(`over the limit of ${SCHEDULE_RULES_PER_POLICY} schedule rules per policy`);
      const planned = planRule(loaded, rule, scanNames, input);
      if (typeof planned === 'string') return skip(planned);
      scans.push(...planned);
    });
  }
  return { at: input.at.toISOString(), decisions, scans, skipped, schedules: wantedSchedules(scans, skipped) };
}

/** The scheduled scans of one rule, or why it is skipped. */
function planRule(loaded: LoadedPolicy<OtherPolicy>, rule: ScheduleRule, scanNames: readonly string[], input: SchedulePlanInput): ScheduledScan[] | string {
  if (rule.agents) return 'agents rules scan Kubernetes clusters through the GitLab agent: not supported';
  if (scanNames.length === 0) return 'the policy has no scan that runs in a pipeline';
  const parsed = parseCron(rule.cadence);
  if (!parsed.ok) return parsed.reason;
  const { cron } = parsed;
  // SEP docs: only daily and weekly cadences; `,`, `-` or `/` in the minute or hour field make GitLab skip the run.
  if (/[,\-/]/.test(cron.minuteField) || /[,\-/]/.test(cron.hourField)) {
    return `cadence "${rule.cadence}": GitLab skips cadences whose minute or hour field uses , - or / (daily or weekly cadences only)`;
  }
  const timezone = rule.timezone ?? 'UTC';
  const read = wallClockReader(timezone);
  if (read === undefined) return `unknown time zone ${timezone}`;
  const branches = branchesOfScheduleRule(rule, input.branches);
  if (branches.length === 0) return 'no existing branch is selected by the rule';
  const at = input.at.getTime();
  const last = previousRun(cron, at, read);
  const next = nextRun(cron, at, read);
  const windowSeconds = rule.timeWindowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const id = formatScheduledScanId({ policyProject: loaded.policyProject.path, policyIndex: loaded.index, rule: rule.index });
  return branches.map((branch) => ({
    id,
    policy: loaded.policy.name,
    policyProject: loaded.policyProject.path,
    policyIndex: loaded.index,
    rule: rule.index,
    branch,
    cron: cron.expression,
    timezone,
    windowSeconds,
    lastRun: last === undefined ? undefined : new Date(last).toISOString(),
    nextRun: next === undefined ? undefined : new Date(next).toISOString(),
    due: last !== undefined && at - last < windowSeconds * 1000,
    scans: scanNames,
  }));
}

/**
 * One pipeline schedule per policy, rule and branch. The description identifies it; when two
 * scans would share one (same policy name in two policy projects), the first keeps it.
 */
function wantedSchedules(scans: readonly ScheduledScan[], skipped: SkippedScheduleRule[]): WantedPipelineSchedule[] {
  const byDescription = new Map<string, WantedPipelineSchedule>();
  for (const scan of scans) {
    const description = describeSchedule(scan.policy, scan.rule, scan.branch);
    if (byDescription.has(description)) {
      skipped.push({ policy: scan.policy, policyProject: scan.policyProject, rule: scan.rule, reason: `another policy already uses the schedule description "${description}"` });
      continue;
    }
    byDescription.set(description, {
      description,
      ref: scan.branch,
      cron: scan.cron,
      cronTimezone: scan.timezone,
      variables: { [SCHEDULED_SCAN_VARIABLE]: scan.id },
    });
  }
  return [...byDescription.values()];
}
