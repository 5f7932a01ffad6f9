/**
 * The two-file layout (`compose --pre-out`): the strict policy pre jobs go into a child pipeline
 * of their own, which the component triggers as `policy:pre`; `policy:pipeline`, the trigger of
 * the main composed pipeline, `needs` it with the default `when: on_success`.
 *
 * Why that holds in GitLab, whatever the project's YAML says:
 * - `strategy: depend` gives the trigger job the downstream pipeline's status (docs "ci/yaml":
 *   `trigger:strategy`), so `policy:pre` fails when a strict pre job fails (unless it may fail).
 * - A job whose `needs` failed or was skipped is skipped when it is `on_success` (docs "ci/yaml":
 *   `needs`, `when`), so `policy:pipeline` is skipped.
 * - A trigger job creates its downstream pipeline only when it becomes pending
 *   (app/models/ci/bridge.rb: `after_transition … => :pending` enqueues
 *   Ci::CreateDownstreamPipelineWorker), so a skipped `policy:pipeline` creates no pipeline and
 *   not one project job exists: `when: always`, `on_failure`, `needs: []`, manual, their
 *   entrypoints, services and hooks included.
 * A pipeline needs at least one job or GitLab refuses to create it (and `policy:pre` fails), so
 * without strict pre jobs the pre pipeline holds one no-op job: the component's layout stays
 * static at the cost of one short job per pipeline.
 *
 * Artifacts of the pre jobs do not reach the main pipeline (another pipeline), and `needs` or
 * `dependencies` of main-pipeline jobs on a moved pre job are dropped: the main pipeline exists
 * only after every strict pre job passed, which is what such a need waited for.
 */
import type { ResolvedJob, ResolvedPipeline } from '../../ci/pipeline.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../../ci/value.js';
import type { ComposedJob } from '../types.js';
import { helperJob, type HelperJobSettings } from './barrier-jobs.js';
import { uniqueName } from './stage-layout.js';

export const PRE_PIPELINE_STAGE = 'policy-sidecar:pipeline-policy-pre';
export const PRE_NO_OP_JOB = 'policy-sidecar:pre-pipeline';

type PipelineBase = Pick<ResolvedPipeline, 'name' | 'files'>;

/** The pre pipeline: the given pre jobs (already enforced) in one stage, or the no-op job. */
export function buildPrePipeline(base: PipelineBase, jobs: readonly ResolvedJob[], taken: ReadonlySet<string>, helper: HelperJobSettings): ResolvedPipeline {
  const placed = jobs.map((job) => ({ ...job, stage: PRE_PIPELINE_STAGE }));
  const all =
    placed.length > 0
      ? placed
      : [
          helperJob({
            name: uniqueName(PRE_NO_OP_JOB, taken),
            stage: PRE_PIPELINE_STAGE,
            when: 'on_success',
            script: [`echo 'policy-sidecar: no pipeline execution policy pre job must succeed here'`],
            artifacts: undefined,
            helper,
            decision: 'added by policy-sidecar: a pipeline needs a job, and the component always triggers the pre pipeline',
          }),
        ];
  return {
    created: true,
    reason: placed.length > 0 ? 'the pipeline execution policy pre jobs that must succeed' : 'no pipeline execution policy pre job must succeed',
    name: base.name,
    stages: ['.pre', PRE_PIPELINE_STAGE, '.post'],
    jobs: all,
    excluded: [],
    files: base.files,
  };
}

/** `job` without `needs` and `dependencies` entries naming a job in `moved`. */
export function withoutLinksTo(job: ComposedJob, moved: ReadonlySet<string>): ComposedJob {
  if (moved.size === 0) return job;
  const needs = job.needs === undefined ? undefined : job.needs.filter((need) => !moved.has(neededName(need) ?? ''));
  const dependencies = job.definition['dependencies'];
  const definition: CiMap = isSeq(dependencies)
    ? { ...job.definition, dependencies: dependencies.filter((name) => typeof name !== 'string' || !moved.has(name)) }
    : job.definition;
  return { ...job, needs, definition };
}

/** The job a `needs` entry names in this pipeline (`name` or `{ job: name }`), if any. */
function neededName(need: CiValue): string | undefined {
  if (typeof need === 'string') return need;
  if (isMap(need) && need['pipeline'] === undefined && need['project'] === undefined && typeof need['job'] === 'string') return need['job'];
  return undefined;
}
