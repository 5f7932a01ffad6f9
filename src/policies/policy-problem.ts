/**
 * One problem found in a policy file, with its place. `validate` prints every one; loading a
 * policy file stops at the first error (see validate-policy-file.ts).
 */
import { formatLocation, type SourceLocation } from '../errors.js';

export interface PolicyProblem {
  /** Errors make the file invalid; warnings point at keys GitLab (and we) ignore. */
  readonly severity: 'error' | 'warning';
  /** Stable identifier (docs/policies.md): `policy-schema`, `policy-unknown-key`, `yaml-syntax`... */
  readonly code: string;
  readonly location: SourceLocation;
  /** `pipeline_execution_policy[1] "Compliance audit"`, when the problem is inside one policy. */
  readonly policy: string | undefined;
  /** The whole message, including the policy label. */
  readonly message: string;
}

/** `file:line:column: message`, with `warning: ` before the message of a warning. */
export function formatPolicyProblem(problem: PolicyProblem): string {
  const severity = problem.severity === 'warning' ? 'warning: ' : '';
  return `${formatLocation(problem.location)}: ${severity}${problem.message}`;
}

/** File order (line, then column), so that the output reads top to bottom. */
export function sortPolicyProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  return [...problems].sort(
    (a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0),
  );
}
