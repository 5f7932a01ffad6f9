/**
 * Pipelines started by the pipeline schedules of `policy-sidecar schedule` (docs/schedules.md):
 * with POLICY_SIDECAR_SCHEDULED_SCAN=<policy project>:<policy index>:<rule index> on a pipeline of
 * source `schedule`, the pipeline holds only the scans of that policy (gitlab-pep-sep.md §4.1:
 * "Scheduled runs contain only the scanners, not project jobs"). GitLab runs those pipelines with
 * the dangling source `security_orchestration_policy`, which gets no pipeline execution policies
 * (§3.9), so neither do ours. Any other source ignores the variable: a push option
 * (`git push -o ci.variable=...`) or a manual run must not be able to drop project and policy jobs.
 */
import type { PipelineContext } from '../../ci/context.js';
import { DEFAULT_STAGES, POST_STAGE, PRE_STAGE } from '../../ci/expand/index.js';
import { PolicyError } from '../../errors.js';
import type { PolicyDecision } from '../../policies/types.js';
import { parseScheduledScanId, SCHEDULED_SCAN_VARIABLE } from '../../schedule/scheduled-scan-id.js';
import { composeWithPolicies, emptyComposedPipeline } from '../pep/index.js';
import type { ComposedPipeline } from '../types.js';
import { describeScanActions, type ScanActionOutcome } from './describe-scan-actions.js';
import { mergeScanJobsIntoProject, restoreScanOrigins } from './merge-scan-jobs.js';
import type { ScanPolicies } from './prepare-scan-policies.js';
import type { ScanSelection } from './select-actions.js';

/** The only pipeline source whose POLICY_SIDECAR_SCHEDULED_SCAN is obeyed. */
export const SCHEDULED_SCAN_SOURCE = 'schedule';

export type ScheduledScanMode =
  | { readonly kind: 'none' }
  /** The variable is set on a pipeline that is not a scheduled one: composed as usual. */
  | { readonly kind: 'ignored'; readonly note: string }
  | { readonly kind: 'run'; readonly id: string };

/** Schedule variables arrive as user (pipeline) variables; in a job they are in its environment too. */
export function scheduledScanMode(context: PipelineContext): ScheduledScanMode {
  const id = context.user[SCHEDULED_SCAN_VARIABLE] ?? context.predefined[SCHEDULED_SCAN_VARIABLE];
  if (id === undefined) return { kind: 'none' };
  // The source is GitLab's (predefined); a user variable cannot pretend to be a schedule.
  const source = context.predefined['CI_PIPELINE_SOURCE'] ?? 'push';
  if (source !== SCHEDULED_SCAN_SOURCE) {
    return { kind: 'ignored', note: `${SCHEDULED_SCAN_VARIABLE} ignored: only pipelines of source ${SCHEDULED_SCAN_SOURCE} run scheduled scans, this one is ${source}` };
  }
  return { kind: 'run', id };
}

/** The pipeline's branch; a scheduled scan runs on a branch (its schedule's ref). */
export function scheduledScanBranch(context: PipelineContext, id: string): string {
  const tag = context.predefined['CI_COMMIT_TAG'];
  const branch = context.predefined['CI_COMMIT_BRANCH'];
  if (tag === undefined && branch !== undefined) return branch;
  throw scheduledScanError(`scheduled scan ${id}: the pipeline runs on ${tag === undefined ? 'no branch' : `tag ${tag}`}; scheduled scans run on branches`);
}

/** The decision of the scheduled policy; fails closed when the id names nothing that applies. */
function requireScheduledScan(selection: ScanSelection, id: string): PolicyDecision {
  const applied = selection.decisions.find((decision) => decision.applied);
  if (applied !== undefined) return applied;
  throw scheduledScanError(selection.decisions[0]?.reason ?? withoutPolicies(id));
}

/** Why nothing applies when there is no scan execution policy at all (the messages of selectScheduledScanActions). */
function withoutPolicies(id: string): string {
  const parsed = parseScheduledScanId(id);
  if (parsed === undefined) return `${SCHEDULED_SCAN_VARIABLE}=${id} is not <policy project>:<policy index>:<rule index>`;
  return `scheduled scan ${id}: no applicable scan execution policy at ${parsed.policyProject} index ${parsed.policyIndex}`;
}

function scheduledScanError(reason: string): PolicyError {
  return new PolicyError('scheduled-scan-unknown', `Scan execution policy error: ${reason}`, {
    hint:
      `The pipeline schedule's ${SCHEDULED_SCAN_VARIABLE} names a policy or rule that does not exist or does not apply here. ` +
      'Run `policy-sidecar schedule --apply` to bring the pipeline schedules in line with the policies.',
  });
}

/** `scheduled scan of "<policy>" rule <n>`. */
function describeScheduledScan(decision: PolicyDecision, id: string): string {
  const rule = parseScheduledScanId(id)?.rule;
  return `scheduled scan of "${decision.name}" rule ${rule ?? '?'} (${SCHEDULED_SCAN_VARIABLE}=${id})`;
}

/**
 * Only the scan jobs, placed as in a project without CI configuration: no project jobs, and no
 * pipeline execution policy jobs (GitLab's scheduled scan pipelines have the dangling source
 * security_orchestration_policy, §3.9). `[skip ci]` does not skip them (schedule rules ignore it).
 * Fails closed when the id names nothing that applies.
 */
export function composeScheduledScan(
  scans: ScanPolicies,
  pepDecisions: readonly PolicyDecision[],
  id: string,
): { composed: ComposedPipeline; decisions: PolicyDecision[]; scanActions: ScanActionOutcome[] } {
  const title = describeScheduledScan(requireScheduledScan(scans.selection, id), id);
  const base = mergeScanJobsIntoProject(undefined, scans.generated, [PRE_STAGE, ...DEFAULT_STAGES, POST_STAGE]);
  const composed = restoreScanOrigins(composeWithPolicies(base.pipeline, []), scans.generated);
  const reason = composed.created
    ? `${title}: only its scan jobs run, no project jobs and no pipeline execution policies (as in GitLab's scheduled scan pipelines)`
    : `${title}: no scan job runs: ${composed.reason}`;
  const stages = base.merge.addedStages;
  const added = stages.length === 0 ? '' : `; added stage${stages.length === 1 ? '' : 's'} ${stages.join(', ')}`;
  const scanMerge = base.merge.merged ? { ...base.merge, reason: `the only jobs of the ${title}${added}` } : base.merge;
  const noPep = `a ${title} gets no pipeline execution policies (GitLab runs it as source security_orchestration_policy)`;
  return {
    composed: { ...composed, reason },
    decisions: [...pepDecisions.map((decision) => (decision.applied ? { ...decision, applied: false, reason: noPep } : decision)), ...scans.selection.decisions],
    scanActions: describeScanActions(scans.selection, scans.generated, scanMerge),
  };
}

/** --fail-open without readable policies: no scan to run, and project jobs never run in a scheduled scan pipeline. */
export function scheduledScanWithoutPolicies(id: string): ComposedPipeline {
  return emptyComposedPipeline(`scheduled scan ${id} composed without policies (--fail-open): no scan runs, and a scheduled scan pipeline runs no project jobs`);
}
