/**
 * The masker of a run (log/masked-values.ts): the variables from outside the YAML are masked,
 * split the way rules see them (job-environment.ts), so a value a rule or include path can expand
 * is a value the outputs mask. They are:
 * - with --job, the job's variables from --job-env-file: node starts with a clean environment, so
 *   the process environment holds none of them. These are a GitLab job's by definition; a project
 *   variable `GITLAB_CI=false` does not turn masking off;
 * - without --job, in a GitLab CI job (`GITLAB_CI=true`; `CI` alone is set by other CI systems
 *   too), the process environment;
 * - anywhere, the `--var` values (a `--var CI_COMMIT_MESSAGE=...` is no settings variable).
 * POLICY_SIDECAR_SCHEDULED_SCAN names a policy rule, which the report names anyway: never masked.
 */
import type { Redactor } from '../http/redact.js';
import { createMasker } from '../log/masked-values.js';
import { SCHEDULED_SCAN_VARIABLE } from '../schedule/scheduled-scan-id.js';
import type { CliIo } from './io.js';
import { splitJobEnvironment } from './job-environment.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** The masker of a run outside --job: `env` is the process environment. */
export function maskerFor(env: Environment, varFlags: readonly string[] | undefined): Redactor {
  return maskerOf(env['GITLAB_CI'] === 'true' ? env : {}, varFlags);
}

/** The masker of a command's run: with --job from the job's variables, else as maskerFor. */
export function maskerForRun(io: Pick<CliIo, 'env' | 'jobVariables'>, varFlags: readonly string[] | undefined): Redactor {
  return io.jobVariables === undefined ? maskerFor(io.env, varFlags) : maskerOf(io.jobVariables, varFlags);
}

function maskerOf(jobEnvironment: Environment, varFlags: readonly string[] | undefined): Redactor {
  // Lenient on purpose: a malformed --var is reported by the command, and must still be masked.
  const fromFlags = Object.fromEntries((varFlags ?? []).map((pair) => [pair.slice(0, Math.max(pair.indexOf('='), 0)), pair.slice(pair.indexOf('=') + 1)]));
  const variables = { ...splitJobEnvironment(jobEnvironment).userVariables, ...splitJobEnvironment(fromFlags).userVariables };
  return createMasker(Object.fromEntries(Object.entries(variables).filter(([name]) => name !== SCHEDULED_SCAN_VARIABLE)));
}
