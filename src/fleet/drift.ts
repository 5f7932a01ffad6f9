/**
 * Drift: settings of a project that let it weaken enforcement, found from GitLab's answers.
 * Pure. Rules and their GitLab facts:
 * - A project CI/CD variable named like a predefined variable overrides it in every job
 *   (docs "ci/variables/#cicd-variable-precedence": project variables rank above predefined ones).
 * - A project variable named POLICY_SIDECAR_* overrides the platform's group variable of that
 *   name (project beats group, same doc), e.g. the policy projects compose reads.
 * - Pipeline variables are open to Developers when `restrict_user_defined_variables` is false or
 *   the minimum role is `developer` (ProjectCiCdSetting#override_pipeline_variables_allowed?).
 */
import type { DriftFinding } from './audit-row.js';

/** Prefixes GitLab reserves for predefined variables (docs "ci/variables/predefined_variables"). */
const PREDEFINED_PREFIXES = ['CI_', 'GITLAB_'];
const SIDECAR_PREFIX = 'POLICY_SIDECAR_';

export interface DriftFacts {
  /** undefined: the token could not list them. */
  readonly variableKeys: readonly string[] | undefined;
  readonly restrictUserDefinedVariables: boolean | undefined;
  readonly pipelineVariablesMinimumRole: string | undefined;
}

export function findDrift(facts: DriftFacts): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const key of [...(facts.variableKeys ?? [])].sort()) {
    if (PREDEFINED_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      findings.push({ code: 'variable-shadows-predefined', message: `project variable ${key} overrides the predefined variable of that name` });
    } else if (key.startsWith(SIDECAR_PREFIX)) {
      findings.push({ code: 'variable-overrides-sidecar', message: `project variable ${key} overrides the platform's group variable of that name` });
    }
  }
  if (facts.restrictUserDefinedVariables === false) {
    findings.push({ code: 'pipeline-variables-developer', message: 'pipeline variables are not restricted: Developers can set them' });
  } else if (facts.restrictUserDefinedVariables === true && facts.pipelineVariablesMinimumRole === 'developer') {
    findings.push({ code: 'pipeline-variables-developer', message: 'minimum role to use pipeline variables is Developer' });
  }
  return findings;
}
