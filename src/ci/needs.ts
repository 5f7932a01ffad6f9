/**
 * `needs` after rules have removed jobs: a need on a job that is not in the pipeline is an error
 * unless it is `optional: true`, in which case GitLab drops it (docs "ci/yaml/#needsoptional").
 */
import { ConfigError } from '../errors.js';
import { parallelInstanceNames } from './jobs/parallel-names.js';
import type { ResolvedJob } from './pipeline.js';
import { isMap, type CiValue } from './value.js';

export function checkNeeds(jobs: readonly ResolvedJob[]): ResolvedJob[] {
  // A need may name one instance of a parallel job (`build: [alpine]`), as GitLab names them.
  const names = new Set(jobs.flatMap((job) => [job.name, ...(parallelInstanceNames(job.name, job.definition['parallel']) ?? [])]));
  return jobs.map((job) => {
    if (job.needs === undefined) return job;
    const kept = job.needs.filter((need) => {
      const target = neededJob(need);
      if (target === undefined || names.has(target.name)) return true;
      if (target.optional) return false;
      throw new ConfigError(
        'needs-missing-job',
        `'${job.name}' job needs '${target.name}' job, but '${target.name}' does not exist in the pipeline. ` +
          'This might be because of the only, except, or rules keywords. ' +
          'To need a job that sometimes does not exist in the pipeline, use needs:optional.',
        { location: job.location },
      );
    });
    return kept.length === job.needs.length ? job : { ...job, needs: kept };
  });
}

/** The job a `needs` entry names in this pipeline; undefined for cross-project or parent needs. */
function neededJob(need: CiValue): { name: string; optional: boolean } | undefined {
  if (typeof need === 'string') return { name: need, optional: false };
  if (!isMap(need) || typeof need['job'] !== 'string') return undefined;
  if (need['pipeline'] !== undefined || need['project'] !== undefined) return undefined;
  return { name: need['job'], optional: need['optional'] === true };
}
