/**
 * The actions of the applicable scan execution policies, in hierarchy order (gitlab-pep-sep.md
 * §5.1 step 6; GitLab's PipelineContext#limited_actions and ScanPipelineService): the first N of
 * each policy, exact duplicates removed (`uniq`), scans GitLab does not inject into pipelines
 * dropped, then numbered: non-DAST actions 0..n-1, DAST actions separately.
 */
import type { LoadedPolicy, OtherPolicy } from '../../../policies/types.js';
import { PIPELINE_SCAN_TYPES, type ActionReason, type ScanAction, type ScanType } from './scan-action.js';
import { readScanActions, type RawScanAction } from './read-scan-actions.js';

export interface ApplicablePolicy {
  readonly loaded: LoadedPolicy<OtherPolicy>;
  /** Why it applies (which rules matched), repeated in each action's reason. */
  readonly why: string;
}

export function collectActions(applicable: readonly ApplicablePolicy[], actionsPerPolicy: number): { actions: ScanAction[]; actionReasons: ActionReason[] } {
  const actions: ScanAction[] = [];
  const actionReasons: ActionReason[] = [];
  const seen = new Map<string, { policy: string; action: number }>();
  let scanIndex = 0;
  let dastIndex = 0;
  for (const { loaded, why } of applicable) {
    const policy = loaded.policy.name;
    for (const raw of readScanActions(loaded.policy.raw)) {
      const refuse = (reason: string) => actionReasons.push({ policy, action: raw.index, scan: raw.scan, applied: false, reason });
      // The first N actions of each policy (§1.4, PipelineContext#limited_actions), then `uniq`, then the scan types.
      if (raw.index >= actionsPerPolicy) {
        refuse(`over the limit of ${actionsPerPolicy} actions per policy`);
        continue;
      }
      const first = seen.get(raw.identity);
      if (first !== undefined) {
        refuse(`exact duplicate of action ${first.action} of "${first.policy}": removed`);
        continue;
      }
      seen.set(raw.identity, { policy, action: raw.index });
      const scan = PIPELINE_SCAN_TYPES.find((type) => type === raw.scan);
      if (scan === undefined) {
        refuse(`scan ${raw.scan} is not injected into pipelines`);
        continue;
      }
      const index = scan === 'dast' ? dastIndex++ : scanIndex++;
      actions.push(toScanAction(loaded, raw, scan, index));
      actionReasons.push({ policy, action: raw.index, scan, applied: true, reason: `job index ${index}; ${why}` });
    }
  }
  return { actions, actionReasons };
}

function toScanAction(loaded: LoadedPolicy, raw: RawScanAction, scan: ScanType, index: number): ScanAction {
  const { identity: _identity, index: _position, scan: _written, ...settings } = raw;
  return { policy: loaded, index, scan, ...settings };
}
