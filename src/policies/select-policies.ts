/**
 * Which policies of one type apply to a pipeline, and why the others do not (gitlab-pep-sep.md
 * §1.4, §3.4). Per policy project: the first N *enabled* policies of the list (GitLab's
 * `select { enabled }.first(limit)` in ee/app/models/concerns/security/pipeline_execution_policy.rb
 * and scan_execution_policy.rb, so disabled ones use no slot); then `policy_scope`; then, for
 * pipeline execution policies, the per-pipeline limit over the whole hierarchy, where policies
 * higher in the hierarchy win (ProjectPipelineExecutionPolicies#configs: `.first(limit)` of the
 * list ordered top-most group first).
 */
import { matchesPolicyScope } from './policy-scope.js';
import type {
  LoadedPolicy,
  OtherPolicy,
  PipelineExecutionPolicy,
  Policy,
  PolicyDecision,
  PolicyFile,
  PolicyType,
  ScopeSubject,
} from './types.js';

export interface PolicySelection<P extends Policy> {
  /** The applicable policies: for PEPs in merge order, for SEPs in hierarchy order. */
  readonly selected: readonly LoadedPolicy<P>[];
  /** One per policy of the type, policy projects in hierarchy order, each in file order. */
  readonly decisions: readonly PolicyDecision[];
}

export interface PolicyLimits {
  /** Enabled policies of the type read from one policy project (GitLab default: 5). */
  readonly perPolicyProject: number;
  /** Policies of the type applied to one pipeline (GitLab: 5 for PEPs). */
  readonly perPipeline: number;
}

export const DEFAULT_PEP_LIMITS: PolicyLimits = { perPolicyProject: 5, perPipeline: 5 };
export const DEFAULT_SEP_LIMITS: Pick<PolicyLimits, 'perPolicyProject'> = { perPolicyProject: 5 };

/**
 * Pipeline execution policies. `selected` is in GitLab's merge order: the hierarchy-ordered list
 * reversed, so project-level policies merge first and the top-most group's last. The whole list
 * is reversed, as GitLab's code does (its own example: group [p1, p2], subgroup [p3, p4] →
 * [p4, p3, p2, p1]), so within one policy project the later index merges first.
 */
export function selectPipelineExecutionPolicies(
  files: readonly PolicyFile[],
  subject: ScopeSubject,
  limits: PolicyLimits = DEFAULT_PEP_LIMITS,
): PolicySelection<PipelineExecutionPolicy> {
  const { inHierarchyOrder, decisions } = selectPolicies(files, 'pipeline_execution_policy', isPipelineExecutionPolicy, subject, limits);
  return { selected: [...inHierarchyOrder].reverse(), decisions };
}

/** Scan execution policies: the first N enabled per policy project, then scope; no per-pipeline limit. */
export function selectScanExecutionPolicies(
  files: readonly PolicyFile[],
  subject: ScopeSubject,
  limits: Pick<PolicyLimits, 'perPolicyProject'> = DEFAULT_SEP_LIMITS,
): PolicySelection<OtherPolicy> {
  const { inHierarchyOrder, decisions } = selectPolicies(files, 'scan_execution_policy', isScanExecutionPolicy, subject, {
    perPolicyProject: limits.perPolicyProject,
    perPipeline: Number.POSITIVE_INFINITY,
  });
  return { selected: inHierarchyOrder, decisions };
}

function isPipelineExecutionPolicy(loaded: LoadedPolicy): loaded is LoadedPolicy<PipelineExecutionPolicy> {
  return loaded.policy.type === 'pipeline_execution_policy';
}

function isScanExecutionPolicy(loaded: LoadedPolicy): loaded is LoadedPolicy<OtherPolicy> {
  return loaded.policy.type === 'scan_execution_policy';
}

const NOUNS: Partial<Record<PolicyType, string>> = {
  pipeline_execution_policy: 'pipeline execution policies',
  scan_execution_policy: 'scan execution policies',
};

function selectPolicies<P extends Policy>(
  files: readonly PolicyFile[],
  type: PolicyType,
  isOfType: (loaded: LoadedPolicy) => loaded is LoadedPolicy<P>,
  subject: ScopeSubject,
  limits: PolicyLimits,
): { inHierarchyOrder: LoadedPolicy<P>[]; decisions: PolicyDecision[] } {
  const noun = NOUNS[type] ?? type;
  const verdicts = new Map<LoadedPolicy<P>, { applied: boolean; reason: string }>();
  const ordered: LoadedPolicy<P>[] = [];
  const inScope: LoadedPolicy<P>[] = [];
  for (const file of files) {
    let enabledSeen = 0;
    for (const loaded of file.policies.filter(isOfType)) {
      ordered.push(loaded);
      if (!loaded.policy.enabled) {
        verdicts.set(loaded, { applied: false, reason: 'disabled (enabled: false)' });
        continue;
      }
      enabledSeen += 1;
      if (enabledSeen > limits.perPolicyProject) {
        verdicts.set(loaded, {
          applied: false,
          reason: `over the limit of ${limits.perPolicyProject} ${noun} per policy project: only the first ${limits.perPolicyProject} enabled ones of ${file.policyProject.path} are read`,
        });
        continue;
      }
      const scope = matchesPolicyScope(loaded.policy.policyScope, subject);
      verdicts.set(loaded, { applied: scope.matches, reason: scope.matches ? `in scope: ${scope.reason}` : `out of scope: ${scope.reason}` });
      if (scope.matches) inScope.push(loaded);
    }
  }
  const selected = inScope.slice(0, limits.perPipeline);
  for (const loaded of inScope.slice(limits.perPipeline)) {
    verdicts.set(loaded, {
      applied: false,
      reason: `over the limit of ${limits.perPipeline} ${noun} per pipeline: policies higher in the hierarchy win`,
    });
  }
  const decisions = ordered.map((loaded): PolicyDecision => {
    const verdict = verdicts.get(loaded) ?? { applied: false, reason: 'not considered' };
    return {
      name: loaded.policy.name,
      type,
      policyProject: loaded.policyProject.path,
      index: loaded.index,
      applied: verdict.applied,
      reason: verdict.reason,
    };
  });
  return { inHierarchyOrder: selected, decisions };
}
