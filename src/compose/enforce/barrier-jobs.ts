/**
 * The jobs the sidecar adds to hold the composed pipeline in GitLab's policy order, and the
 * guard line that stops a job when the policy pre jobs did not succeed.
 *
 * Why they hold in GitLab (docs "ci/yaml": `stages`, `needs`, `when`, `dependencies`):
 * - A barrier has no `needs`, so it follows stage order: it starts only when every job of the
 *   earlier stages is done, however many there are (no 50-needs limit, no chaining).
 * - A job with `needs` starts as soon as its needs finish, ignoring stages; giving it a need on
 *   the barrier makes it wait for the barrier, so for every job before the barrier's stage.
 * - `when: on_success` (strict): the pre barrier runs only if every pre job succeeded or was
 *   allowed to fail, and is skipped when one failed or was canceled. Jobs that `needs` a skipped
 *   job are skipped too (gitlab-org/gitlab!39205, fixing #213080), and on_success jobs in later
 *   stages are skipped by stage order. `when: always` jobs are not: they run "regardless of the
 *   status of jobs in earlier stages" and whatever their needs did (gitlab-org/gitlab#368733),
 *   and stage-ordered `when: on_failure` jobs run *because* a pre job failed. No YAML can skip
 *   those at run time, so every guarded job starts with a shell check of a marker file that only
 *   the pre barrier writes, as an artifact, when it runs. Stage-ordered jobs download the
 *   artifacts of all earlier stages, `needs` jobs those of their needs (`artifacts` defaults to
 *   true), and `dependencies`, when a job lists them, get the barrier added.
 * - The marker holds `CI_PIPELINE_ID`, so a file committed to the repository or restored from a
 *   cache of an earlier pipeline does not pass the check.
 * - `when: always` (relaxed, GitLab's default without `ensure_pipeline_policy_pre_succeeds`): the
 *   barrier only orders; `needs` jobs start once the pre stage is complete, whatever its result.
 *
 * This guard is defence in depth only: with the two-file layout (`compose --pre-out`, used by the
 * component) the strict pre jobs run in a pipeline of their own and GitLab never creates a
 * project job after a failed one (pre-pipeline.ts). In the single-file layout, the known gaps
 * where no shell line can reach: `trigger` and `run:` jobs have no script (a `when: always`
 * trigger job still triggers after a failed pre job); `image:entrypoint`, `services` and
 * `hooks:pre_get_sources_script` run before the script; settings or pipeline variables (which
 * compose cannot see or drop) can set `CI_PIPELINE_ID` or the shell's start-up variables. The
 * guard uses shell builtins only (`read`, `[`, `echo`, `exit`), so `PATH` cannot replace them;
 * the job variables that could steer it are refused (guard-variables.ts). It fails closed: a job
 * whose script deletes `.policy-sidecar/` (e.g. `git clean -ffdx`) loses its `after_script`.
 */
import type { ResolvedJob } from '../../ci/pipeline.js';
import type { CiMap } from '../../ci/value.js';
import { singleQuote } from './shell-words.js';

export const PRE_BARRIER_JOB = 'policy-sidecar:pre-barrier';
export const POST_BARRIER_JOB = 'policy-sidecar:post-barrier';

/** Relative to the project directory, where artifacts are extracted and scripts start. */
const MARKER_FILE = '.policy-sidecar/pre-passed';
const MARKER_TEXT = 'pre-passed:${CI_PIPELINE_ID}';

/** Runner selection for the added jobs; they need nothing but `sh`. */
export interface HelperJobSettings {
  readonly image?: string;
  readonly tags?: readonly string[];
}

/**
 * The first line of every guarded script. `exit 1` fails the job before any of its own commands
 * run (in `after_script` it ends that shell, which cannot change the job's status). Builtins only
 * (POSIX "Special Built-In Utilities" and `read`, `[`, `echo`, which sh, dash, ash and bash all
 * build in): no command is looked up in `PATH`. `read` of a missing file fails inside the braces,
 * whose redirect hides the message; the variable then stays empty and the check fails.
 */
export const PRE_PASSED_GUARD =
  `policy_sidecar_marker=; { IFS= read -r policy_sidecar_marker < ${MARKER_FILE}; } 2>/dev/null; ` +
  `if [ "$policy_sidecar_marker" != "${MARKER_TEXT}" ]; then ` +
  `echo ${singleQuote('policy-sidecar: not run, a pipeline execution policy pre job did not succeed')} >&2; ` +
  'exit 1; fi';

/** The variables the guard line reads (besides its own): a job may not set them. */
export const GUARD_READS = ['CI_PIPELINE_ID'] as const;

export function buildPreBarrier(name: string, stage: string, strict: boolean, helper: HelperJobSettings): ResolvedJob {
  const script = strict
    ? [`mkdir -p ${dirname(MARKER_FILE)} && echo "${MARKER_TEXT}" > ${MARKER_FILE}`]
    : [`echo ${singleQuote('policy-sidecar: the pipeline execution policy pre jobs are complete')}`];
  return helperJob({
    name,
    stage,
    when: strict ? 'on_success' : 'always',
    script,
    artifacts: strict ? { paths: [MARKER_FILE] } : undefined,
    helper,
    decision: strict
      ? 'added by policy-sidecar: runs only when every pipeline execution policy pre job succeeded; jobs after it check its marker'
      : 'added by policy-sidecar: jobs with needs wait for it, so for the pipeline execution policy pre jobs',
  });
}

export function buildPostBarrier(name: string, stage: string, helper: HelperJobSettings): ResolvedJob {
  return helperJob({
    name,
    stage,
    // Always: it only orders; a post job's own `needs` still decide whether it runs.
    when: 'always',
    script: [`echo ${singleQuote('policy-sidecar: every job before the pipeline execution policy post jobs is complete')}`],
    artifacts: undefined,
    helper,
    decision: 'added by policy-sidecar: pipeline execution policy post jobs with needs wait for it, so for every project job',
  });
}

export interface HelperJobSpec {
  readonly name: string;
  readonly stage: string;
  readonly when: 'on_success' | 'always';
  readonly script: string[];
  readonly artifacts: CiMap | undefined;
  readonly helper: HelperJobSettings;
  readonly decision: string;
}

export function helperJob(spec: HelperJobSpec): ResolvedJob {
  const definition: CiMap = {};
  if (spec.helper.image !== undefined) definition['image'] = spec.helper.image;
  if (spec.helper.tags !== undefined && spec.helper.tags.length > 0) definition['tags'] = [...spec.helper.tags];
  definition['script'] = spec.script;
  if (spec.artifacts !== undefined) definition['artifacts'] = spec.artifacts;
  return {
    name: spec.name,
    stage: spec.stage,
    when: spec.when,
    allowFailure: false,
    startIn: undefined,
    needs: undefined,
    // The barrier reads nothing from the repository.
    variables: { GIT_STRATEGY: { value: 'none', expand: true } },
    definition,
    decision: spec.decision,
    location: undefined,
  };
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}
