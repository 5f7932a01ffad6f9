/**
 * CI/CD variables whose values are secrets, for the logger and the HTTP client to censor.
 * GitLab masks masked variables in the job log, but not in artifacts or files we write, and
 * predefined tokens such as CI_JOB_TOKEN are only masked in the log (docs "ci/variables/predefined_variables").
 */

export const SECRET_VARIABLES = [
  'POLICY_SIDECAR_TOKEN',
  'POLICY_SIDECAR_STATUS_CHECK_SECRET',
  'CI_JOB_TOKEN',
  'CI_JOB_JWT',
  'CI_JOB_JWT_V2',
  'CI_REGISTRY_PASSWORD',
  'CI_DEPLOY_PASSWORD',
  'CI_DEPENDENCY_PROXY_PASSWORD',
] as const;

/** The non-empty values of those variables; pass them to createLogger({ secrets }). */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return SECRET_VARIABLES.map((name) => env[name] ?? '').filter((value) => value !== '');
}
