/**
 * Enforced variables on policy jobs (reference §3.6; docs "Pipeline execution policies",
 * "variables_override"). In GitLab, a policy's YAML variables outrank project, group, instance
 * and pipeline variables; in a plain child pipeline they rank *below* them (docs "CI/CD variable
 * precedence"). So each policy job re-establishes its YAML values, and drops the user variables
 * the policy forbids, in the shell before any of its own commands run.
 *
 * Only names of user variables are known here, never their values; the lines written hold YAML
 * values only.
 */
import type { VariablesOverride } from '../../policies/types.js';
import type { VariableMap } from '../../ci/expand/index.js';
import { isShellName, variableWord } from './shell-words.js';

export interface PolicyVariableInput {
  /** The job's YAML variables: the policy's global ones (as inherited) and the job's own. */
  readonly variables: VariableMap;
  readonly variablesOverride: VariablesOverride | undefined;
  /** Names of variables from outside YAML: settings (project, group, instance) and pipeline variables. */
  readonly userVariableNames: readonly string[];
}

/**
 * The shell lines that give the job GitLab's view of its variables: one `unset` line for
 * forbidden user variables, then one `export` per YAML variable whose value must win.
 *
 * - No `variables_override`: every YAML variable wins ("highest precedence" mode).
 * - `{allowed: false, exceptions}` (allowlist): only user variables named in `exceptions` reach
 *   the job; YAML variables named there are left to normal precedence (a user value wins), the
 *   others are re-established; every other known user variable is unset.
 * - `{allowed: true, exceptions}` (denylist): user variables named in `exceptions` are dropped:
 *   the YAML value is re-established when there is one, otherwise the name is unset, known to
 *   compose or not.
 * Under the allowlist, names compose does not know are dropped at run time by the filter of
 * environment-filter.ts, which enforcement puts before these lines.
 *
 * Values with `expand: true` are expanded as GitLab Runner does, in one pass: a reference to a
 * re-established variable becomes its YAML value (which the runner would have seen, since that
 * value wins), any other reference reads the job's environment at that point, after the unsets.
 * Names that are not shell names (`MY-VAR`, `1X`) are skipped: no settings or pipeline variable
 * can have them, and a shell cannot assign them.
 */
export function policyVariableLines(input: PolicyVariableInput): string[] {
  const { variables, variablesOverride: override } = input;
  const { wins, forbidden } = variablePrecedence(override);
  const yamlNames = Object.keys(variables);
  const enforced = yamlNames.filter((name) => wins(name) && isShellName(name));

  // Under a denylist the forbidden names are the exceptions themselves: they are dropped whether
  // or not compose saw them (a protected or environment-scoped variable never reaches compose).
  const denied = override?.allowed === true ? override.exceptions : [];
  const unset = [...new Set([...input.userVariableNames, ...denied])]
    .filter((name) => forbidden(name) && !(name in variables) && isShellName(name))
    .sort();

  const enforcedSet = new Set(enforced);
  const resolve = (name: string): string | undefined => (enforcedSet.has(name) ? variables[name]?.value : undefined);
  const lines: string[] = [];
  if (unset.length > 0) lines.push(`unset ${unset.join(' ')}`);
  for (const name of enforced) {
    const variable = variables[name];
    if (variable !== undefined) lines.push(`export ${name}=${variableWord(variable.value, variable.expand, resolve)}`);
  }
  return lines;
}

export interface VariablePrecedence {
  /** The YAML value of the name wins over any project, group, instance or pipeline variable. */
  readonly wins: (name: string) => boolean;
  /** A user variable of that name may not reach the job. */
  readonly forbidden: (name: string) => boolean;
  /** A user variable of that name may reach the job (and win over YAML). */
  readonly fromOutside: (name: string) => boolean;
}

/** Who decides each variable of a policy job under `variables_override` (reference §3.6). */
export function variablePrecedence(override: VariablesOverride | undefined): VariablePrecedence {
  const exceptions = new Set(override?.exceptions ?? []);
  const listed = (name: string): boolean => exceptions.has(name);
  if (override === undefined) return { wins: () => true, forbidden: () => false, fromOutside: () => false };
  if (override.allowed) return { wins: listed, forbidden: listed, fromOutside: (name) => !listed(name) };
  return { wins: (name) => !listed(name), forbidden: (name) => !listed(name), fromOutside: listed };
}
