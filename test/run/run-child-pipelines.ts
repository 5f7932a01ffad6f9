/**
 * The two-file layout as GitLab runs it from the component: `policy:pre` triggers the pre
 * pipeline with `strategy: depend`, so its status is the pre pipeline's (docs "ci/yaml",
 * `trigger:strategy`); `policy:pipeline` `needs` `policy:pre` with the default
 * `when: on_success`, so it is skipped unless the pre pipeline succeeded (docs "ci/yaml",
 * `needs` and `when`), and a skipped trigger job creates no downstream pipeline
 * (app/models/ci/bridge.rb: the downstream pipeline is created on the transition to `pending`).
 * Here: the pre file runs under gitlab-ci-local, and the main file runs only when every pre job
 * succeeded or was allowed to fail. Otherwise the main pipeline is `undefined`: no job of it
 * exists, so none can start.
 */
import { runPipeline, type PipelineRun, type PipelineRunOptions } from './run-pipeline.js';

export interface ChildPipelinesRun {
  readonly pre: PipelineRun;
  /** Undefined: GitLab would not have created the composed pipeline. */
  readonly main: PipelineRun | undefined;
}

export async function runChildPipelines(preYaml: string, mainYaml: string, options: PipelineRunOptions = {}): Promise<ChildPipelinesRun> {
  const { variables, files, executables } = options;
  // The pre pipeline has none of the main file's manual or named jobs.
  const pre = await runPipeline(preYaml, { ...(variables && { variables }), ...(files && { files }), ...(executables && { executables }) });
  if (!prePipelinePassed(pre)) return { pre, main: undefined };
  return { pre, main: await runPipeline(mainYaml, options) };
}

/** `strategy: depend` mirrors the pipeline's status: success when no job failed (allowed failures are warnings). */
export function prePipelinePassed(run: PipelineRun): boolean {
  return [...run.jobs.values()].every((job) => job.status === 'success' || job.status === 'allowed-failure');
}
