/**
 * Scan jobs merged into the pipeline (gitlab-pep-sep.md §5.3). GitLab merges them into the
 * project's configuration before anything else, so they are project jobs to the pipeline
 * execution policy merge that follows (a policy job taking one's name gets the suffix); with an
 * `override_project_ci` policy the project configuration is not read and the scan jobs are added
 * to the pipeline the policies made (GitLab 17.9+).
 */
import type { ResolvedPipeline } from '../../ci/pipeline.js';
import type { ComposedJob, ComposedPipeline } from '../types.js';
import type { GeneratedScanJobs } from './generate-scan-jobs.js';
import { placeScanJobs } from './place-scan-jobs.js';

export interface ScanMerge {
  /** Whether the scan jobs went into the pipeline. */
  readonly merged: boolean;
  readonly reason: string;
  readonly replaced: readonly string[];
  readonly addedStages: readonly string[];
}

export const NO_SCAN_MERGE: ScanMerge = { merged: false, reason: 'no scan execution policy action applies', replaced: [], addedStages: [] };

/** `project` undefined: the project has no CI configuration. */
export function mergeScanJobsIntoProject(
  project: ResolvedPipeline | undefined,
  scans: GeneratedScanJobs,
  defaultStages: readonly string[],
): { readonly pipeline: ResolvedPipeline | undefined; readonly merge: ScanMerge } {
  if (scans.perAction.length === 0) return { pipeline: project, merge: NO_SCAN_MERGE };
  if (project !== undefined && isFilteredByWorkflow(project)) {
    const reason = `not added: the project's workflow:rules create no pipeline (${project.reason}), and scan jobs are part of it (as in GitLab)`;
    return { pipeline: project, merge: { merged: false, reason, replaced: [], addedStages: [] } };
  }
  const stages = project?.stages ?? defaultStages;
  const placed = placeScanJobs(stages, project?.jobs ?? [], scans.jobs);
  const runnable = placed.jobs.some(isRunnable);
  const reason =
    project === undefined
      ? 'the project has no CI configuration: scan execution policies add workflow: rules: [{when: always}] and their jobs (as in GitLab)'
      : project.created || !runnable
        ? project.reason
        : `${project.reason}, but the scan execution policy jobs make the pipeline`;
  const pipeline: ResolvedPipeline = {
    created: project?.created === true || runnable,
    reason,
    name: project?.name,
    stages: placed.stages,
    jobs: placed.jobs,
    excluded: [...(project?.excluded ?? []), ...scans.excluded],
    files: project?.files ?? [],
  };
  return { pipeline, merge: describeMerge(placed.replaced, placed.addedStages, 'merged into the project pipeline') };
}

/** After an override_project_ci policy replaced the project configuration. */
export function mergeScanJobsIntoComposed(composed: ComposedPipeline, scans: GeneratedScanJobs): { readonly pipeline: ComposedPipeline; readonly merge: ScanMerge } {
  if (scans.perAction.length === 0) return { pipeline: composed, merge: NO_SCAN_MERGE };
  if (!composed.created) {
    return { pipeline: composed, merge: { merged: false, reason: `not added: ${composed.reason}`, replaced: [], addedStages: [] } };
  }
  const placed = placeScanJobs(composed.stages, composed.jobs, scans.jobs);
  const jobs = placed.jobs.map((job) => job as ComposedJob); // every job here is a ComposedJob already
  const pipeline = { ...composed, stages: placed.stages, jobs, excluded: [...composed.excluded, ...scans.excluded] };
  return { pipeline, merge: describeMerge(placed.replaced, placed.addedStages, 'added to the pipeline of the override_project_ci policy (GitLab 17.9+)') };
}

/** The pipeline execution policy merge sees scan jobs as project jobs; give them their origin back. */
export function restoreScanOrigins(composed: ComposedPipeline, scans: GeneratedScanJobs): ComposedPipeline {
  const byName = new Map(scans.jobs.map((job) => [job.name, job]));
  const jobs = composed.jobs.map((job) => {
    const scan = job.origin.kind === 'project' ? byName.get(job.name) : undefined;
    return scan === undefined ? job : { ...job, originalName: scan.originalName, origin: scan.origin };
  });
  return { ...composed, jobs };
}

/**
 * GitLab runs no part of a pipeline its workflow:rules filter out: the resolver then returns
 * neither jobs nor excluded jobs (a pipeline emptied by job rules lists them as excluded).
 */
function isFilteredByWorkflow(project: ResolvedPipeline): boolean {
  return !project.created && project.jobs.length === 0 && project.excluded.length === 0;
}

function isRunnable(job: { readonly stage: string }): boolean {
  return job.stage !== '.pre' && job.stage !== '.post';
}

function describeMerge(replaced: readonly string[], addedStages: readonly string[], how: string): ScanMerge {
  const parts = [how];
  if (replaced.length > 0) parts.push(`replaced the project's ${replaced.join(', ')} (same name)`);
  if (addedStages.length > 0) parts.push(`added stage${addedStages.length === 1 ? '' : 's'} ${addedStages.join(', ')}`);
  return { merged: true, reason: parts.join('; '), replaced, addedStages };
}
