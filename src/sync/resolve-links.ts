/**
 * Which policy versions apply to which project, and why: the same selection compose makes
 * (per-type limits, policy_scope, the per-pipeline limit of pipeline execution policies, in
 * hierarchy order), so the store answers what a pipeline of the project would apply. Policy
 * types compose does not select (approval policies...) apply when enabled and in scope.
 * Every synced policy project counts as linked to every synced project (docs/store.md).
 */
import { matchesPolicyScope } from '../policies/policy-scope.js';
import { selectPipelineExecutionPolicies, selectScanExecutionPolicies, type PolicyLimits } from '../policies/select-policies.js';
import type { PolicyDecision, PolicyFile, ScopeSubject } from '../policies/types.js';
import { policyIdOf } from '../store/policy-id.js';
import type { LinkSnapshot, ProjectSnapshot } from '../store/project-writes.js';

export function resolveLinks(
  files: readonly PolicyFile[],
  digests: ReadonlyMap<string, string>,
  projects: readonly ProjectSnapshot[],
  limits: PolicyLimits,
): LinkSnapshot[] {
  const links: LinkSnapshot[] = [];
  for (const project of projects) {
    const subject: ScopeSubject = { projectId: project.gitlabId, groupIds: project.groups, complianceFrameworks: project.frameworks };
    for (const decision of decisionsFor(files, subject, limits)) {
      if (!decision.applied) continue;
      const policyId = policyIdOf(decision.policyProject, decision.type, decision.name);
      const digest = digests.get(policyId);
      if (digest !== undefined) links.push({ policyId, digest, projectPath: project.path, reason: decision.reason });
    }
  }
  return links;
}

function decisionsFor(files: readonly PolicyFile[], subject: ScopeSubject, limits: PolicyLimits): PolicyDecision[] {
  const decisions = [
    ...selectPipelineExecutionPolicies(files, subject, limits).decisions,
    ...selectScanExecutionPolicies(files, subject, limits).decisions,
  ];
  for (const file of files) {
    for (const loaded of file.policies) {
      if (loaded.policy.type === 'pipeline_execution_policy' || loaded.policy.type === 'scan_execution_policy') continue;
      const scope = matchesPolicyScope(loaded.policy.policyScope, subject);
      decisions.push({
        name: loaded.policy.name,
        type: loaded.policy.type,
        policyProject: file.policyProject.path,
        index: loaded.index,
        applied: loaded.policy.enabled && scope.matches,
        reason: loaded.policy.enabled ? `${scope.matches ? 'in scope' : 'out of scope'}: ${scope.reason}` : 'disabled (enabled: false)',
      });
    }
  }
  return decisions;
}
