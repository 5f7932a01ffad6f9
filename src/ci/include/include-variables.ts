/**
 * The variables GitLab makes available to `include` paths, `include:rules` and `expand_vars`
 * (docs "ci/yaml/includes#use-variables-with-include"): project, group and instance variables,
 * trigger, schedule and manual-run variables, and the predefined variables known before the
 * pipeline is saved. Not YAML `variables:` (includes are evaluated first) and not job-level or
 * saved-pipeline values such as CI_JOB_ID, CI_PIPELINE_ID or CI_PIPELINE_URL (issue 337633,
 * issue 467540 lists the predefined ones exactly).
 */
import type { Variables } from '../context.js';

// Known only once the pipeline is saved, or only inside a job.
const unavailable = new Set(['CI_PIPELINE_ID', 'CI_PIPELINE_IID', 'CI_PIPELINE_URL', 'CI_PIPELINE_CREATED_AT', 'CI_PROJECT_DIR', 'CI_BUILDS_DIR', 'CI_CONCURRENT_ID', 'CI_CONCURRENT_PROJECT_ID', 'CI_DEPLOY_USER', 'CI_DEPLOY_PASSWORD']);
const unavailablePrefixes = ['CI_JOB_', 'CI_NODE_', 'CI_RUNNER_', 'CI_ENVIRONMENT_', 'CI_REGISTRY_PASSWORD', 'CI_DEPENDENCY_PROXY_PASSWORD'];

/** Predefined variables filtered to those GitLab knows at include time, then user variables on top. */
export function selectIncludeVariables(predefined: Variables, user: Variables): Variables {
  const selected: Record<string, string> = {};
  for (const [name, value] of Object.entries(predefined)) {
    if (unavailable.has(name) || unavailablePrefixes.some((prefix) => name.startsWith(prefix))) continue;
    selected[name] = value;
  }
  return { ...selected, ...user };
}
