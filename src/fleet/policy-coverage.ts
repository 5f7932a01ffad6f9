/**
 * Which policies apply to a project and why, with the same selection compose uses (per-project
 * limits, policy_scope, the per-pipeline limit), so audit and compose cannot disagree. Pure.
 * Compliance frameworks are not read by audit (GitLab serves their ids through GraphQL only):
 * a policy scoped by them is reported as not applying, with that reason.
 */
import { selectPipelineExecutionPolicies, selectScanExecutionPolicies } from '../policies/select-policies.js';
import type { PolicyFile } from '../policies/types.js';
import type { AppliedPolicy } from './audit-row.js';

export interface CoverageSubject {
  readonly projectId: number;
  /** Ancestor group ids. */
  readonly groupIds: readonly number[];
}

export function policiesFor(files: readonly PolicyFile[], subject: CoverageSubject): AppliedPolicy[] {
  if (files.length === 0) return [];
  const scope = { projectId: subject.projectId, groupIds: subject.groupIds, complianceFrameworks: [], archived: false };
  const decisions = [
    ...selectPipelineExecutionPolicies(files, scope).decisions,
    ...selectScanExecutionPolicies(files, scope).decisions,
  ];
  return decisions.map((decision) => ({
    name: decision.name,
    type: decision.type,
    policyProject: decision.policyProject,
    applied: decision.applied,
    reason: /compliance framework/.test(decision.reason) ? `${decision.reason} (audit does not read compliance frameworks)` : decision.reason,
  }));
}
