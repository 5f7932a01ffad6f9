/**
 * `policy_scope` matching (gitlab-pep-sep.md §1.3; GitLab's
 * Security::SecurityOrchestrationPolicies::PolicyScopeChecker): only the dimensions present are
 * evaluated; compliance frameworks match when the project has any of them; for projects and
 * groups an exclusion always wins and a non-empty `including` must contain the project (groups:
 * any ancestor); the present dimensions must all match (AND), or one of them with
 * `match_mode: any`. No dimension at all: the policy applies to every linked project.
 * An empty list counts as absent, as GitLab's `blank?` checks do.
 */
import type { PolicyScope, ScopeSubject } from './types.js';

export interface ScopeMatch {
  readonly matches: boolean;
  /** Why, for the report: `project 456 is excluded by policy_scope.projects.excluding`. */
  readonly reason: string;
}

interface DimensionResult {
  readonly matches: boolean;
  readonly reason: string;
}

export function matchesPolicyScope(scope: PolicyScope | undefined, subject: ScopeSubject): ScopeMatch {
  const results = scope === undefined ? [] : evaluateDimensions(scope, subject);
  if (results.length === 0) return { matches: true, reason: 'policy_scope is empty: the policy applies to every project' };
  if (scope?.matchMode === 'any') {
    const match = results.find((result) => result.matches);
    return match !== undefined
      ? { matches: true, reason: `${match.reason} (match_mode: any)` }
      : { matches: false, reason: `${results.map((result) => result.reason).join('; ')} (match_mode: any, none matched)` };
  }
  const failure = results.find((result) => !result.matches);
  if (failure !== undefined) return { matches: false, reason: failure.reason };
  return { matches: true, reason: results.map((result) => result.reason).join('; ') };
}

function evaluateDimensions(scope: PolicyScope, subject: ScopeSubject): DimensionResult[] {
  const results: DimensionResult[] = [];
  const frameworks = scope.complianceFrameworks ?? [];
  if (frameworks.length > 0) results.push(matchFrameworks(frameworks, subject));
  const projects = scope.projects;
  if (projects !== undefined && (projects.including.length > 0 || projects.excluding.length > 0 || (projects.excludingKinds ?? []).length > 0)) {
    results.push(matchProjects(projects, subject));
  }
  const groups = scope.groups;
  if (groups !== undefined && (groups.including.length > 0 || groups.excluding.length > 0)) {
    results.push(matchGroups(groups, subject));
  }
  return results;
}

function matchFrameworks(frameworks: readonly number[], subject: ScopeSubject): DimensionResult {
  const shared = frameworks.filter((id) => subject.complianceFrameworks.includes(id));
  return shared.length > 0
    ? { matches: true, reason: `project has compliance framework ${shared.join(', ')}` }
    : { matches: false, reason: `project has none of the compliance frameworks ${frameworks.join(', ')} of policy_scope.compliance_frameworks` };
}

function matchProjects(projects: NonNullable<PolicyScope['projects']>, subject: ScopeSubject): DimensionResult {
  const id = subject.projectId;
  if (projects.excluding.includes(id)) return { matches: false, reason: `project ${id} is excluded by policy_scope.projects.excluding` };
  for (const kind of projects.excludingKinds ?? []) {
    if ((kind === 'personal' && subject.personal === true) || (kind === 'archived' && subject.archived === true)) {
      return { matches: false, reason: `project ${id} is ${kind}, and ${kind} projects are excluded by policy_scope.projects.excluding` };
    }
  }
  if (projects.including.length > 0 && !projects.including.includes(id)) {
    return { matches: false, reason: `project ${id} is not in policy_scope.projects.including` };
  }
  return {
    matches: true,
    reason: projects.including.length > 0 ? `project ${id} is in policy_scope.projects.including` : `project ${id} is not excluded`,
  };
}

function matchGroups(groups: NonNullable<PolicyScope['groups']>, subject: ScopeSubject): DimensionResult {
  const excluded = groups.excluding.filter((id) => subject.groupIds.includes(id));
  if (excluded.length > 0) return { matches: false, reason: `group ${excluded.join(', ')} is excluded by policy_scope.groups.excluding` };
  if (groups.including.length === 0) return { matches: true, reason: 'no ancestor group is excluded' };
  const included = groups.including.filter((id) => subject.groupIds.includes(id));
  return included.length > 0
    ? { matches: true, reason: `ancestor group ${included.join(', ')} is in policy_scope.groups.including` }
    : { matches: false, reason: `no ancestor group is in policy_scope.groups.including (${groups.including.join(', ')})` };
}
