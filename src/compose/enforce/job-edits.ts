/**
 * The edits enforcement makes to one job: needs on a barrier, the barrier in `dependencies`, and
 * lines at the start of its scripts. Each edit is a pure function of the job.
 */
import type { ResolvedJob } from '../../ci/pipeline.js';
import { isSeq, type CiMap, type CiSeq, type CiValue } from '../../ci/value.js';
import { ConfigError } from '../../errors.js';

/** A trigger job runs no script and may not list `dependencies` (docs "trigger"). */
export function isTriggerJob(job: ResolvedJob): boolean {
  return job.definition['trigger'] !== undefined;
}

/**
 * `needs` plus `barriers`, within GitLab's limit (`ci_max_needs`, 50 by default). A job already
 * at the limit cannot take the need it must have to wait, so it is an error, worded as GitLab's
 * (Gitlab::Ci::Pipeline::Seed::Build), rather than a pipeline that runs out of order.
 */
export function addNeeds(job: ResolvedJob, barriers: readonly string[], limit: number): CiSeq | undefined {
  if (job.needs === undefined || barriers.length === 0) return job.needs;
  const needs: CiSeq = [...job.needs, ...barriers];
  if (needs.length > limit) {
    throw new ConfigError(
      'enforce-needs-limit',
      `${job.name}: one job can only need ${String(limit)} others, but you have listed ${String(needs.length)}. ` +
        'See needs keyword documentation for more details',
      {
        location: job.location,
        hint: `policy-sidecar adds ${barriers.join(' and ')} to the needs of this job so that it waits for the pipeline execution policy jobs; list at most ${String(limit - barriers.length)} needs.`,
      },
    );
  }
  return needs;
}

/** A job that names its `dependencies` downloads only theirs: the barrier's marker must be one. */
export function addDependency(definition: CiMap, barrier: string): CiMap {
  const dependencies = definition['dependencies'];
  if (!isSeq(dependencies)) return definition;
  return { ...definition, dependencies: [...dependencies, barrier] };
}

/**
 * `lines` first in the job's shell: at the start of `before_script` when the job has one (it
 * runs in the same shell as `script`), otherwise of `script`; and at the start of
 * `after_script`, which runs in a shell of its own, unless `afterScript` is false. Jobs without
 * a script (`trigger`, `run`) are returned unchanged.
 */
export function prependScriptLines(definition: CiMap, lines: readonly string[], afterScript = true): CiMap {
  if (lines.length === 0) return definition;
  const main = definition['before_script'] !== undefined ? 'before_script' : definition['script'] !== undefined ? 'script' : undefined;
  if (main === undefined) return definition;
  const edited: CiMap = { ...definition, [main]: [...lines, ...commands(definition[main])] };
  if (afterScript && definition['after_script'] !== undefined) edited['after_script'] = [...lines, ...commands(definition['after_script'])];
  return edited;
}

/** Scripts are flat string lists after expansion (ci/expand/scripts.ts); a string is one line. */
function commands(value: CiValue | undefined): CiSeq {
  if (isSeq(value)) return value;
  return value === null || value === undefined ? [] : [value];
}
