/**
 * Compose's side of a scheduled scan: a pipeline started by one of our pipeline schedules carries
 * POLICY_SIDECAR_SCHEDULED_SCAN=<policy project>:<policy index>:<rule index>, and runs only that
 * policy's scans (GitLab's scheduled SEP pipelines hold only the scanners, gitlab-pep-sep.md
 * §4.1). The policy is read again, so a schedule left behind by a changed policy runs nothing
 * (and the next `policy-sidecar schedule --apply` removes it). Schedule rules ignore `skip_ci`.
 */
import { collectActions } from '../compose/sep/rules/collect-actions.js';
import { readScanRules, type ScheduleRule } from '../compose/sep/rules/read-scan-rules.js';
import type { ScanSelection } from '../compose/sep/select-actions.js';
import { selectScanExecutionPolicies } from '../policies/select-policies.js';
import type { PolicyDecision, PolicyFile, ScopeSubject } from '../policies/types.js';
import { branchesOfScheduleRule, type ScheduleBranchFacts } from './schedule-branches.js';
import { parseScheduledScanId, SCHEDULED_SCAN_VARIABLE } from './scheduled-scan-id.js';

export interface ScheduledScanInput {
  readonly files: readonly PolicyFile[];
  readonly subject: ScopeSubject;
  /** The value of POLICY_SIDECAR_SCHEDULED_SCAN. */
  readonly scheduledScan: string;
  /** The pipeline's branch. */
  readonly branch: string;
  /** `existing` may be undefined: the pipeline's branch is known to exist. */
  readonly branches: ScheduleBranchFacts;
  readonly limits: { readonly perPolicyProject: number; readonly actionsPerPolicy: number };
}

export function selectScheduledScanActions(input: ScheduledScanInput): ScanSelection {
  const { selected, decisions } = selectScanExecutionPolicies(input.files, input.subject, { perPolicyProject: input.limits.perPolicyProject });
  const skipCi = { skip: false, reason: 'schedule rules ignore [skip ci]' };
  const id = parseScheduledScanId(input.scheduledScan);
  const target = id === undefined ? undefined : selected.find((loaded) => loaded.policyProject.path === id.policyProject && loaded.index === id.policyIndex);
  const refuse = (reason: string): ScanSelection => ({ actions: [], decisions: decisions.map((decision) => ({ ...decision, applied: false, reason })), actionReasons: [], skipCi });
  if (id === undefined) return refuse(`${SCHEDULED_SCAN_VARIABLE}=${input.scheduledScan} is not <policy project>:<policy index>:<rule index>`);
  if (target === undefined) return refuse(`scheduled scan ${input.scheduledScan}: no applicable scan execution policy at ${id.policyProject} index ${id.policyIndex}`);
  const rule = readScanRules(target.policy.raw).find((candidate): candidate is ScheduleRule => candidate.index === id.rule && candidate.type === 'schedule');
  if (rule === undefined) return refuse(`scheduled scan ${input.scheduledScan}: rule ${id.rule} of "${target.policy.name}" is not a schedule rule`);
  const facts = { ...input.branches, existing: [input.branch] };
  if (branchesOfScheduleRule(rule, facts).length === 0) {
    return refuse(`scheduled scan ${input.scheduledScan}: rule ${id.rule} of "${target.policy.name}" does not select branch ${input.branch}`);
  }
  const why = `scheduled scan: rule ${id.rule} (cadence ${rule.cadence}) on branch ${input.branch}`;
  const { actions, actionReasons } = collectActions([{ loaded: target, why }], input.limits.actionsPerPolicy);
  const verdicts = decisions.map((decision): PolicyDecision =>
    decision.policyProject === id.policyProject && decision.index === id.policyIndex
      ? { ...decision, applied: true, reason: why }
      : { ...decision, applied: false, reason: `not the scheduled scan ${input.scheduledScan}` },
  );
  return { actions, decisions: verdicts, actionReasons, skipCi };
}
