/**
 * The composed child pipelines hold every job the policies require, by its exact final name
 * (suffix included), and each succeeded, or failed where the policy itself allows it
 * (`allow_failure` of the recomputed job, not the recorded one: a project cannot grant it).
 */
import { isRequired, type Expectation, type ExpectedJob } from './expectation.js';
import type { JobRecord, PipelineRecords } from './records.js';
import type { VerifySettings } from './settings.js';
import { check, type Check } from './verdict.js';

/** The recorded jobs of the child pipeline an expected job runs in. */
export function childJobsOf(records: PipelineRecords, settings: VerifySettings, pipeline: ExpectedJob['pipeline']): readonly JobRecord[] {
  return records.childJobs[pipeline === 'pre' ? settings.preBridgeName : settings.pipelineBridgeName] ?? [];
}

/** `name`, or one of its `parallel:` copies: `name 2/3` or `name: [a, b]` (docs "ci/yaml" parallel). */
export function isInstanceOf(jobName: string, name: string): boolean {
  if (jobName === name) return true;
  if (!jobName.startsWith(name)) return false;
  const rest = jobName.slice(name.length);
  return /^ \d+\/\d+$/.test(rest) || /^: \[.*\]$/.test(rest);
}

export function instancesOf(jobs: readonly JobRecord[], name: string): JobRecord[] {
  return jobs.filter((job) => isInstanceOf(job.name, name));
}

export function checkRequiredJobsPresent(records: PipelineRecords, expectation: Expectation, settings: VerifySettings): Check {
  const required = expectation.jobs.filter(isRequired);
  const expectedNames = new Set(expectation.jobs.map((job) => job.name));
  const problems: string[] = [];
  for (const job of required) {
    const jobs = childJobsOf(records, settings, job.pipeline);
    if (instancesOf(jobs, job.name).length > 0) continue;
    // A job that carries the policy job's own name or suffix but is not expected: renamed.
    const suffix = job.name.slice(job.originalName.length);
    const renamed = jobs.find((candidate) => !expectedNames.has(candidate.name) && (candidate.name.startsWith(job.originalName) || (suffix !== '' && candidate.name.endsWith(suffix))));
    const where = job.pipeline === 'pre' ? 'pre pipeline' : 'composed pipeline';
    problems.push(renamed === undefined ? `"${job.name}" is missing from the ${where}` : `"${job.name}" is missing from the ${where}; "${renamed.name}" looks like it renamed`);
  }
  if (problems.length > 0) return check('required-jobs', false, `required policy jobs: ${problems.join('; ')}`);
  return check('required-jobs', true, required.length === 0 ? 'no policy job is required for this pipeline' : `all ${required.length} required policy jobs are in the child pipelines`);
}

export function checkRequiredJobsSucceeded(records: PipelineRecords, expectation: Expectation, settings: VerifySettings): Check {
  const outcomes: string[] = [];
  const allowed: string[] = [];
  for (const job of expectation.jobs.filter(isRequired)) {
    for (const instance of instancesOf(childJobsOf(records, settings, job.pipeline), job.name)) {
      // A job the policy itself makes manual is satisfied by waiting to be played, as in GitLab.
      if (instance.status === 'success' || (instance.status === 'manual' && job.when === 'manual')) continue;
      if (instance.status === 'failed' && job.allowFailure) allowed.push(instance.name);
      else outcomes.push(`"${instance.name}" is ${instance.status === 'manual' ? 'manual and never ran' : instance.status}`);
    }
  }
  if (outcomes.length > 0) return check('required-jobs-succeeded', false, `required policy jobs did not succeed: ${outcomes.join(', ')}`);
  const note = allowed.length === 0 ? '' : ` (${allowed.join(', ')} failed, which the policy allows)`;
  return check('required-jobs-succeeded', true, `every required policy job that ran succeeded${note}`);
}
