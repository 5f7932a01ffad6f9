/**
 * A CI job's environment, split the way GitLab's rules see variables: GitLab's predefined ones
 * (CI_*, GITLAB_*), and the variables from outside the YAML (project, group and instance
 * settings, pipeline variables) that rank above YAML. The process's own variables (PATH, HOME...)
 * and credentials are neither: rules never see them in GitLab, and policy jobs must not unset them.
 */
import type { Variables } from '../ci/context.js';
import { SCHEDULED_SCAN_VARIABLE } from '../schedule/scheduled-scan-id.js';

// Set by the runner image (node:alpine's ENV, our Dockerfile's NODE_ENV) or the shell, not by
// GitLab's variable list. Only exact names: a project can set NODE_OPTIONS, npm_config_*, FF_*
// or LC_ALL, and those are user variables that rules see and policies may drop.
const PROCESS_VARIABLES = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'TERM', 'SHELL', 'USER', 'LANG', 'LANGUAGE', 'TZ', '_', 'CI', 'NODE_VERSION', 'YARN_VERSION', 'NODE_ENV']);
const PROCESS_PREFIXES = ['POLICY_SIDECAR_'];
// Credentials GitLab puts in every job: never compared in rules, never carried anywhere.
const SECRET_PREDEFINED = new Set(['CI_JOB_TOKEN', 'CI_JOB_JWT', 'CI_JOB_JWT_V1', 'CI_JOB_JWT_V2', 'CI_REGISTRY_PASSWORD', 'CI_DEPENDENCY_PROXY_PASSWORD', 'CI_DEPLOY_PASSWORD', 'CI_REPOSITORY_URL']);

export interface JobEnvironment {
  readonly pipelineVariables: Variables;
  readonly userVariables: Variables;
}

export function splitJobEnvironment(env: Readonly<Record<string, string | undefined>>): JobEnvironment {
  const pipelineVariables: Record<string, string> = {};
  const userVariables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET_PREDEFINED.has(name) || PROCESS_VARIABLES.has(name)) continue;
    // A pipeline schedule's variable (docs/schedules.md), obeyed only when GitLab says the source is schedule.
    if (PROCESS_PREFIXES.some((prefix) => name.startsWith(prefix)) && name !== SCHEDULED_SCAN_VARIABLE) continue;
    if (name.startsWith('CI_') || name.startsWith('GITLAB_')) pipelineVariables[name] = value;
    else userVariables[name] = value;
  }
  return { pipelineVariables, userVariables };
}
