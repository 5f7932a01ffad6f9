/**
 * The sidecar's own jobs (`policy:compose`, `policy:pipeline` from templates/) carry the variable
 * POLICY_SIDECAR_JOB. In opt-in mode they are part of the project's configuration, so they come
 * back when that configuration is composed; leaving them in would make the child pipeline compose
 * and trigger itself again. They are taken out of the project pipeline, and the report says so.
 */
import type { ResolvedPipeline } from '../ci/pipeline.js';

export const SIDECAR_JOB_VARIABLE = 'POLICY_SIDECAR_JOB';

export function withoutSidecarJobs(pipeline: ResolvedPipeline): ResolvedPipeline {
  const own = pipeline.jobs.filter((job) => job.variables[SIDECAR_JOB_VARIABLE] !== undefined);
  if (own.length === 0) return pipeline;
  const jobs = pipeline.jobs.filter((job) => !own.includes(job));
  const excluded = [
    ...pipeline.excluded,
    ...own.map((job) => ({ name: job.name, reason: `policy-sidecar's own job (${SIDECAR_JOB_VARIABLE}): it runs in the parent pipeline, not in the composed one`, location: job.location })),
  ];
  const created = pipeline.created && jobs.length > 0;
  return { ...pipeline, jobs, excluded, created, reason: created ? pipeline.reason : 'no project job besides policy-sidecar\'s own' };
}
