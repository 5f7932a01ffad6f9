/**
 * The masker of a run (log/masked-values.ts): in a GitLab CI job (`GITLAB_CI=true`; `CI` alone is
 * set by other CI systems too) the variables from outside the YAML are the job's environment less
 * GitLab's predefined and the process's own variables; anywhere, the `--var` values, split the
 * same way (a `--var CI_COMMIT_MESSAGE=...` or `POLICY_SIDECAR_SCHEDULED_SCAN=...` is no settings
 * variable). Built from the same split that feeds the rules, so a value a rule or include path can
 * expand is a value the outputs mask.
 */
import type { Redactor } from '../http/redact.js';
import { createMasker } from '../log/masked-values.js';
import { splitJobEnvironment } from './job-environment.js';

export function maskerFor(env: Readonly<Record<string, string | undefined>>, varFlags: readonly string[] | undefined): Redactor {
  const fromJob = env['GITLAB_CI'] === 'true' ? splitJobEnvironment(env).userVariables : {};
  // Lenient on purpose: a malformed --var is reported by the command, and must still be masked.
  const fromFlags = Object.fromEntries((varFlags ?? []).map((pair) => [pair.slice(0, Math.max(pair.indexOf('='), 0)), pair.slice(pair.indexOf('=') + 1)]));
  return createMasker({ ...fromJob, ...splitJobEnvironment(fromFlags).userVariables });
}
