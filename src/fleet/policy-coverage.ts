/**
 * Which policies apply to a project and why, with the same selection compose uses (per-project
 * limits, policy_scope, the per-pipeline limit), so audit and compose cannot disagree. Pure.
 * Compliance frameworks come from GraphQL, read only when a policy's scope names them. When they
 * could not be read, a policy scoped by them is "unknown", never "not applied": saying a policy
 * does not apply when it may is the wrong way to be wrong for an audit.
 */
import { selectPipelineExecutionPolicies, selectScanExecutionPolicies } from '../policies/select-policies.js';
import type { PolicyFile } from '../policies/types.js';
import type { FrameworkIds } from '../sources/gitlab/gitlab-graphql.js';
import type { AppliedPolicy } from './audit-row.js';

export interface CoverageSubject {
  readonly projectId: number;
  /** Ancestor group ids. */
  readonly groupIds: readonly number[];
  /** Undefined when not read (no policy needs them); `unreadable` when GraphQL could not tell. */
  readonly complianceFrameworks?: FrameworkIds;
}

export const FRAMEWORKS_UNKNOWN = 'unknown: compliance frameworks not readable';

/** Whether any policy's policy_scope names compliance frameworks: only then are they read. */
export function scopedByFrameworks(files: readonly PolicyFile[]): boolean {
  return files.some((file) => file.policies.some((loaded) => (loaded.policy.policyScope?.complianceFrameworks ?? []).length > 0));
}

export function policiesFor(files: readonly PolicyFile[], subject: CoverageSubject): AppliedPolicy[] {
  if (files.length === 0) return [];
  const frameworks = subject.complianceFrameworks;
  const known = frameworks !== undefined && frameworks !== 'unreadable';
  const scope = { projectId: subject.projectId, groupIds: subject.groupIds, complianceFrameworks: known ? frameworks : [], archived: false };
  const decisions = [
    ...selectPipelineExecutionPolicies(files, scope).decisions,
    ...selectScanExecutionPolicies(files, scope).decisions,
  ];
  const frameworkScoped = (decision: (typeof decisions)[number]): boolean =>
    files.some(
      (file) =>
        file.policyProject.path === decision.policyProject &&
        file.policies.some((loaded) => loaded.policy.type === decision.type && loaded.index === decision.index && (loaded.policy.policyScope?.complianceFrameworks ?? []).length > 0),
    );
  // Judged with no frameworks, a policy in scope is in scope whatever they are (match_mode: any);
  // one out of scope might be in scope with them. "disabled" or a limit does not depend on them.
  const unknown = (decision: (typeof decisions)[number]): boolean => !known && decision.reason.startsWith('out of scope:') && frameworkScoped(decision);
  return decisions.map((decision) => ({
    name: decision.name,
    type: decision.type,
    policyProject: decision.policyProject,
    applied: decision.applied,
    reason: unknown(decision) ? FRAMEWORKS_UNKNOWN : decision.reason,
  }));
}
