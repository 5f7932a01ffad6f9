/**
 * With --job: the job's facts from GitLab (sources/gitlab/job-facts.ts), checked against what the
 * job's variables claim. A project or pipeline variable may set any CI_* name and GitLab lets it
 * win over the predefined value, so a disagreement means someone is steering: fail closed, one
 * message naming both values. Absent variables are not a disagreement (GitLab sets each only
 * where it applies, and a variable cannot unset one, only change it).
 */
import { ConfigError, UsageError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { readJobFacts, type JobFacts } from '../sources/gitlab/job-facts.js';
import type { GitlabConnection } from './gitlab-connection.js';
import type { CliIo } from './io.js';
import { nonEmpty } from './option-values.js';

/** Reads the facts with the job token, then compares the job's variables with them. */
export async function learnJobFacts(connection: GitlabConnection, io: CliIo, command: string): Promise<JobFacts> {
  const jobToken = nonEmpty(io.jobVariables?.['CI_JOB_TOKEN']);
  if (jobToken === undefined) {
    throw new UsageError('no-job-token', `${command} --job: the job's environment has no CI_JOB_TOKEN`, {
      hint: 'Run it inside a GitLab CI job, and pass the job\'s environment with --job-env-file (templates/policy-sidecar.yml).',
    });
  }
  const jobClient = createHttpClient({
    baseUrl: connection.apiUrl,
    credential: { header: 'JOB-TOKEN', value: jobToken },
    dispatcher: connection.dispatcher,
    retries: connection.retries,
  });
  const facts = await readJobFacts(jobClient, connection.client);
  checkJobVariables(io.jobVariables ?? {}, facts);
  return facts;
}

/** What GitLab would set each CI_* variable to; undefined where GitLab sets none for this pipeline. */
export function expectedJobVariables(facts: JobFacts): Record<string, string | undefined> {
  const mr = facts.mergeRequest;
  return {
    CI_JOB_ID: String(facts.jobId),
    CI_PROJECT_ID: String(facts.projectId),
    CI_PROJECT_PATH: facts.projectPath,
    CI_PIPELINE_ID: String(facts.pipelineId),
    CI_PIPELINE_SOURCE: facts.pipelineSource,
    CI_COMMIT_SHA: facts.sha,
    CI_COMMIT_REF_NAME: facts.tag ?? facts.branch,
    // docs "ci/variables/predefined_variables": no CI_COMMIT_BRANCH in merge request and tag pipelines.
    CI_COMMIT_BRANCH: mr === undefined && facts.tag === undefined ? facts.branch : undefined,
    CI_COMMIT_TAG: facts.tag,
    CI_MERGE_REQUEST_IID: mr === undefined ? undefined : String(mr.iid),
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: mr?.sourceBranch,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: mr?.targetBranch,
  };
}

export function checkJobVariables(variables: Readonly<Record<string, string>>, facts: JobFacts): void {
  for (const [name, expected] of Object.entries(expectedJobVariables(facts))) {
    const claimed = variables[name];
    if (claimed === undefined || claimed === expected) continue;
    const gitlabSays = expected === undefined ? `GitLab sets no ${name} for this pipeline (${describePipeline(facts)})` : `GitLab says ${expected}`;
    throw new ConfigError('job-variable-mismatch', `${name} is "${claimed}" in the job's variables, but ${gitlabSays}: refusing to run with pipeline facts a variable has overridden`, {
      hint: `Remove the project, group or pipeline variable ${name}: GitLab's predefined value is the only one policy-sidecar accepts.`,
    });
  }
}

function describePipeline(facts: JobFacts): string {
  const on = facts.tag !== undefined ? `tag ${facts.tag}` : facts.mergeRequest !== undefined ? `merge request !${facts.mergeRequest.iid}` : `branch ${facts.branch ?? '?'}`;
  return `pipeline ${facts.pipelineId}, ${facts.pipelineSource} on ${on}`;
}
