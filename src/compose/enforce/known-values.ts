/**
 * The values GitLab gives a job that compose knows for certain: the pipeline-level predefined
 * variables derived from the pipeline's facts (ci/predefined-variables.ts, learnt from GitLab in
 * a CI job), plus the job's own name and stage. A project variable can override any `CI_*`
 * variable at run time, so these are written literally where the runner or a policy job reads
 * them. Values compose only copies from the environment (`CI_REGISTRY`, `CI_JOB_ID`...) are not
 * here, nor `CI_SERVER_URL` and `CI_COMMIT_REF_PROTECTED`, which compose derives approximately.
 */
import type { Variables } from '../../ci/context.js';

const FROM_FACTS = [
  'CI',
  'GITLAB_CI',
  'CI_PIPELINE_SOURCE',
  'CI_PROJECT_ID',
  'CI_PROJECT_PATH',
  'CI_PROJECT_NAME',
  'CI_PROJECT_NAMESPACE',
  'CI_PROJECT_ROOT_NAMESPACE',
  'CI_DEFAULT_BRANCH',
  'CI_COMMIT_SHA',
  'CI_COMMIT_REF_NAME',
  'CI_COMMIT_REF_SLUG',
  'CI_COMMIT_BRANCH',
  'CI_COMMIT_TAG',
  'CI_SERVER_HOST',
  'CI_SERVER_FQDN',
  'CI_MERGE_REQUEST_IID',
  'CI_MERGE_REQUEST_PROJECT_PATH',
  'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME',
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
  'CI_MERGE_REQUEST_EVENT_TYPE',
];

/** GitLab's default for CI_TEMPLATE_REGISTRY_HOST (docs "predefined_variables"), used by the scan templates. */
export const TEMPLATE_REGISTRY_HOST = 'registry.gitlab.com';

/** Pipeline-level values, the same for every job. */
export function knownPipelineValues(predefined: Variables): Record<string, string> {
  const known: Record<string, string> = {};
  for (const name of FROM_FACTS) {
    const value = predefined[name];
    if (value !== undefined) known[name] = value;
  }
  const sha = known['CI_COMMIT_SHA'];
  if (sha !== undefined) known['CI_COMMIT_SHORT_SHA'] = sha.slice(0, 8);
  return known;
}

/** What the runner can expand in one job's `image`, `services` and `cache`. */
export function knownJobValues(pipeline: Readonly<Record<string, string>>, job: { readonly name: string; readonly stage: string }): Record<string, string> {
  return { CI_TEMPLATE_REGISTRY_HOST: TEMPLATE_REGISTRY_HOST, ...pipeline, CI_JOB_NAME: job.name, CI_JOB_STAGE: job.stage };
}
