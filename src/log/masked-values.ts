/**
 * Values of CI/CD variables that may be masked in GitLab. In a job, masked variables arrive as
 * ordinary environment variables: nothing says which are masked. GitLab masks them in the job log
 * only, not in artifacts; our report, JUnit file and messages are artifacts and logs alike. So
 * every value that comes from outside the YAML (project, group and instance settings, pipeline
 * variables, `--var`) and that GitLab *could* mask is treated as masked: it is replaced by
 * `[MASKED]` in every report, message and log line (GitLab's own word for it,
 * `Gitlab::Ci::Config::External::Context#mask_variables_from`).
 */
import { createRedactor, type Redactor } from '../http/redact.js';

export const MASKED = '[MASKED]';

// docs "ci/variables/#mask-a-cicd-variable": a masked value is one line, no spaces, at least 8
// characters (the allowed alphabet changed across versions, so any non-space character counts).
const MIN_MASKED_LENGTH = 8;

/** The values among `variables` that GitLab would let a project mask. */
export function maskableValues(variables: Readonly<Record<string, string | undefined>>): string[] {
  const values = Object.values(variables).filter(
    (value): value is string => value !== undefined && value.length >= MIN_MASKED_LENGTH && !/\s/.test(value),
  );
  return [...new Set(values)];
}

/** Replaces every maskable value of `variables` (as is, URL- or JSON-escaped) by `[MASKED]`. */
export function createMasker(variables: Readonly<Record<string, string | undefined>>): Redactor {
  return createRedactor(maskableValues(variables), MASKED);
}
