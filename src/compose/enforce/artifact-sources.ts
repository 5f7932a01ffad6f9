/**
 * Where policy and scan jobs take artifacts from. A job without `needs` or `dependencies`
 * downloads the artifacts of every job in earlier stages, and with them their
 * `artifacts:reports:dotenv` variables (docs "ci/yaml": `dependencies`; "Pass an environment
 * variable to another job"), which outrank nothing yet still reach the job's shell: a project job
 * could hand a scan job `SECRET_DETECTION_DISABLED=true` or replace the files a policy job checks.
 * GitLab's own policy jobs have the same gap; here a stage-ordered policy or scan job that names
 * no `dependencies` gets the policy and scan jobs of earlier stages as its dependencies (maybe
 * none). A job that names its `dependencies` or `needs` asked for those jobs and keeps them.
 */
import { isTriggerJob } from './job-edits.js';
import type { StageLayout } from './stage-layout.js';
import type { ComposedJob } from '../types.js';
import type { CiMap } from '../../ci/value.js';

/** Per policy or scan job: the policy and scan jobs of strictly earlier stages, in pipeline order. */
export function artifactSources(jobs: readonly ComposedJob[], layout: StageLayout): Map<string, string[]> {
  const order = new Map(layout.stages.map((stage, index) => [stage, index]));
  const indexOf = (job: ComposedJob): number => order.get(layout.placeOf(job.stage)) ?? 0;
  // Trigger jobs have no artifacts, and GitLab accepts only jobs with them in `dependencies`.
  const policyJobs = jobs.filter((job) => job.origin.kind !== 'project' && !isTriggerJob(job)).map((job) => ({ name: job.name, stage: indexOf(job) }));
  const sources = new Map<string, string[]>();
  for (const job of policyJobs) {
    sources.set(
      job.name,
      policyJobs.filter((other) => other.stage < job.stage).map((other) => other.name),
    );
  }
  return sources;
}

/** `dependencies` set to `sources` when the job names none itself. */
export function restrictDependencies(definition: CiMap, sources: readonly string[]): CiMap {
  if (definition['dependencies'] !== undefined) return definition;
  return { ...definition, dependencies: [...sources] };
}
