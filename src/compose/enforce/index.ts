/**
 * Enforcement: turns the composed pipeline into child pipelines GitLab accepts that keep the
 * guarantees of SPEC §3 "Enforcement in the composed pipeline", which GitLab gives a project
 * pipeline through pipeline execution policies but not a plain child pipeline:
 * - reserved stages mapped onto normal ones (stage-layout.ts);
 * - policy pre jobs complete before any other job starts, `needs` jobs, `.pre` jobs and manual
 *   jobs included (stricter than GitLab, which lets manual and on_failure jobs start early);
 * - a failed strict pre job stops every later job, `when: always`, `on_failure` and `needs` jobs
 *   included (GitLab's `ensure_pipeline_policy_pre_succeeds`). With `prePipeline` the strict pre
 *   jobs get a pipeline of their own and GitLab's trigger semantics hold it (pre-pipeline.ts);
 *   without, a barrier job and a shell guard do, with known gaps (barrier-jobs.ts);
 * - policy post jobs start after every other job, `needs` or not;
 * - policy jobs re-establish their YAML variables (policy-variables.ts) and, under
 *   `variables_override: {allowed: false}`, drop every other variable (environment-filter.ts);
 * - policy and scan jobs get the values the runner reads before their script literally
 *   (runner-values.ts), check their checkout (checkout-check.ts) and take artifacts and dotenv
 *   variables only from policy and scan jobs unless they name others (artifact-sources.ts).
 * Project jobs keep their keywords; they only gain a need, a dependency or the guard line, or
 * lose a need on a pre job that moved to the pre pipeline. Policy jobs stay out of reach of
 * project YAML because each configuration was resolved on its own before composing.
 */
import type { ResolvedJob, ResolvedPipeline } from '../../ci/pipeline.js';
import { ConfigError } from '../../errors.js';
import type { ComposedJob, ComposedPipeline } from '../types.js';
import {
  buildPostBarrier,
  buildPreBarrier,
  POST_BARRIER_JOB,
  PRE_BARRIER_JOB,
  PRE_PASSED_GUARD,
  type HelperJobSettings,
} from './barrier-jobs.js';
import { artifactSources, restrictDependencies } from './artifact-sources.js';
import { checkoutCheckLines } from './checkout-check.js';
import { environmentFilterLines } from './environment-filter.js';
import { rejectGuardShadowing } from './guard-variables.js';
import { addDependency, addNeeds, isTriggerJob, prependScriptLines } from './job-edits.js';
import { knownJobValues, knownPipelineValues } from './known-values.js';
import { policyVariableLines, variablePrecedence } from './policy-variables.js';
import { buildPrePipeline, PRE_PIPELINE_STAGE, withoutLinksTo } from './pre-pipeline.js';
import { writeRunnerValuesLiterally } from './runner-values.js';
import { planStageLayout, POLICY_POST_STAGE, POLICY_PRE_STAGE, uniqueName } from './stage-layout.js';

export { PRE_BARRIER_JOB, POST_BARRIER_JOB, PRE_PASSED_GUARD, type HelperJobSettings } from './barrier-jobs.js';
export { PRE_NO_OP_JOB, PRE_PIPELINE_STAGE } from './pre-pipeline.js';

export interface EnforceOptions {
  /**
   * Names (never values) of the variables from outside the YAML that reach the pipeline:
   * instance, group and project settings variables and pipeline variables. Used to drop the
   * ones a policy's `variables_override` forbids; a name missing here cannot be dropped.
   */
  readonly userVariableNames: readonly string[];
  /**
   * A failed pre job (not `allow_failure`) stops every later job, `when: always` and `needs`
   * jobs included. False gives GitLab's default: `needs` jobs still start once the pre stage
   * is complete, stage-ordered jobs follow `when`.
   */
  readonly preMustSucceed: boolean;
  /**
   * Security policy projects whose policy file turns `ensure_pipeline_policy_pre_succeeds` off
   * explicitly: their pre jobs get GitLab's default semantics, the others' stay strict (GitLab
   * reads the experiment per policy: `experiment_enabled?` of the job's own policy).
   */
  readonly relaxedPolicyProjects?: readonly string[];
  /** Put the strict pre jobs in a pipeline of their own (`compose --pre-out`, pre-pipeline.ts). */
  readonly prePipeline?: boolean;
  /** GitLab's needs-per-job limit (`ci_max_needs`); 50 unless the instance raised it. */
  readonly needsLimit?: number;
  /** Image and tags for the jobs the sidecar adds; they run only `sh` builtins and `mkdir`. */
  readonly helperJob?: HelperJobSettings;
  /**
   * The predefined variables compose worked with: those derived from the pipeline's facts are
   * written literally into policy and scan jobs (known-values.ts), the SHA checked against the
   * checkout. Without them, a reference in a policy job's `image` to a predefined variable fails.
   */
  readonly predefined?: Readonly<Record<string, string>>;
}

/** The enforced main pipeline, and with `prePipeline` the pre pipeline that must pass first. */
export interface EnforcedPipelines {
  readonly main: ResolvedPipeline;
  readonly pre: ResolvedPipeline | undefined;
}

const DEFAULT_NEEDS_LIMIT = 50;

/** The single-file layout: everything in one pipeline (what `enforcePipelines` gives as `main` without `prePipeline`). */
export function enforcePipeline(composed: ComposedPipeline, options: EnforceOptions): ResolvedPipeline {
  return enforcePipelines(composed, { ...options, prePipeline: false }).main;
}

export function enforcePipelines(composed: ComposedPipeline, options: EnforceOptions): EnforcedPipelines {
  const base = { created: composed.created, reason: composed.reason, name: composed.name, excluded: composed.excluded, files: composed.files };
  const helper = options.helperJob ?? {};
  const allNames = new Set(composed.jobs.map((job) => job.name));
  const needsLimit = options.needsLimit ?? DEFAULT_NEEDS_LIMIT;
  const { userVariableNames } = options;
  const known = knownPipelineValues(options.predefined ?? {});
  if (!composed.created) {
    const pre = options.prePipeline === true ? buildPrePipeline(base, [], allNames, helper) : undefined;
    return { main: { ...base, stages: composed.stages, jobs: composed.jobs }, pre };
  }
  rejectReservedProjectStages(composed);

  const isStrictPre = strictPreTest(options);
  const strictPre = composed.jobs.filter(isStrictPre);
  let pre: ResolvedPipeline | undefined;
  let mainJobs = composed.jobs;
  if (options.prePipeline === true) {
    // In their own pipeline the strict pre jobs take artifacts only from each other (one stage: none).
    const preContext: JobContext = { preBarrier: undefined, postBarrier: undefined, guard: false, needsLimit, userVariableNames, known, artifactSources: new Map(strictPre.map((job) => [job.name, []])) };
    pre = buildPrePipeline(base, strictPre.map((job) => enforceJob(job, PRE_PIPELINE_STAGE, preContext)), allNames, helper);
    const moved = new Set(strictPre.map((job) => job.name));
    mainJobs = composed.jobs.filter((job) => !moved.has(job.name)).map((job) => withoutLinksTo(job, moved));
  }
  // A guard is needed only where a strict pre job still runs in this pipeline.
  const guardedPipeline = mainJobs.some(isStrictPre);

  const layout = planStageLayout(composed.stages, mainJobs);
  const takenJobs = new Set(allNames);
  const preBarrier =
    layout.preBarrierStage === undefined
      ? undefined
      : buildPreBarrier(uniqueName(PRE_BARRIER_JOB, takenJobs), layout.preBarrierStage, guardedPipeline, helper);
  if (preBarrier !== undefined) takenJobs.add(preBarrier.name);
  const postBarrier =
    layout.postBarrierStage === undefined
      ? undefined
      : buildPostBarrier(uniqueName(POST_BARRIER_JOB, takenJobs), layout.postBarrierStage, helper);

  const context: JobContext = {
    preBarrier: preBarrier?.name,
    postBarrier: postBarrier?.name,
    guard: guardedPipeline && preBarrier !== undefined,
    needsLimit,
    userVariableNames,
    known,
    artifactSources: artifactSources(mainJobs, layout),
  };
  const jobs: ResolvedJob[] = mainJobs.map((job) => {
    const stage = layout.placeOf(job.stage);
    return { ...enforceJob(job, stage, context), stage };
  });
  if (preBarrier !== undefined) jobs.push(preBarrier);
  if (postBarrier !== undefined) jobs.push(postBarrier);
  return { main: { ...base, stages: layout.stages, jobs }, pre };
}

/** Whether a job is a policy pre job that must succeed: its policy project did not relax it. */
function strictPreTest(options: EnforceOptions): (job: ComposedJob) => boolean {
  const relaxed = new Set(options.relaxedPolicyProjects ?? []);
  return (job) =>
    options.preMustSucceed &&
    job.stage === POLICY_PRE_STAGE &&
    job.origin.kind === 'policy' &&
    !relaxed.has(job.origin.policy.policyProject.path);
}

interface JobContext {
  readonly preBarrier: string | undefined;
  readonly postBarrier: string | undefined;
  /** Whether jobs after the pre stage check the pre barrier's marker. */
  readonly guard: boolean;
  readonly needsLimit: number;
  readonly userVariableNames: readonly string[];
  /** Pipeline-level values from the pipeline's facts (known-values.ts). */
  readonly known: Readonly<Record<string, string>>;
  /** Per job name: the policy and scan jobs of earlier stages, whose artifacts it may take. */
  readonly artifactSources: ReadonlyMap<string, readonly string[]>;
}

function enforceJob(job: ComposedJob, stage: string, context: JobContext): ComposedJob {
  const isPre = job.stage === POLICY_PRE_STAGE;
  const barriers: string[] = [];
  // Every job after the pre stage waits for it; `needs` jobs only through an explicit need.
  if (!isPre && context.preBarrier !== undefined) barriers.push(context.preBarrier);
  if (job.stage === POLICY_POST_STAGE && context.postBarrier !== undefined) barriers.push(context.postBarrier);
  const needs = addNeeds(job, barriers, context.needsLimit);

  const guarded = context.guard && !isPre;
  if (guarded && job.origin.kind === 'project') rejectGuardShadowing(job);
  let definition = job.origin.kind === 'project' ? job.definition : policyJobDefinition(job, stage, context);
  if (guarded && context.preBarrier !== undefined && !isTriggerJob(job)) definition = addDependency(definition, context.preBarrier);
  definition = prependScriptLines(definition, policyVariableLinesOf(job, context));
  // The checkout is checked once, before the job's own commands; after_script may follow a
  // script that moved HEAD on purpose.
  definition = prependScriptLines(definition, policyCheckoutLines(job, context), false);
  definition = prependScriptLines(definition, guarded ? [PRE_PASSED_GUARD] : []);
  return { ...job, needs, definition };
}

/** A policy or scan job's keywords with its runner-read values literal and its artifact sources named. */
function policyJobDefinition(job: ComposedJob, stage: string, context: JobContext): ComposedJob['definition'] {
  const override = job.origin.kind === 'policy' ? job.origin.policy.policy.variablesOverride : undefined;
  // Scan jobs have no variables_override: their template's and action's YAML decide (SEP docs).
  const precedence = variablePrecedence(override);
  const kind = job.origin.kind === 'policy' ? 'policy' : 'scan-policy';
  const definition = writeRunnerValuesLiterally(
    { name: job.name, definition: job.definition, location: job.location, kind },
    { variables: job.variables, wins: precedence.wins, fromOutside: precedence.fromOutside, known: knownJobValues(context.known, { name: job.name, stage }) },
  );
  const sources = context.artifactSources.get(job.name);
  return job.needs === undefined && sources !== undefined && !isTriggerJob(job) ? restrictDependencies(definition, sources) : definition;
}

/** A policy or scan job's first line: its checkout is the pipeline's commit. */
function policyCheckoutLines(job: ComposedJob, context: JobContext): string[] {
  if (job.origin.kind === 'project') return [];
  const override = job.origin.kind === 'policy' ? job.origin.policy.policy.variablesOverride : undefined;
  return checkoutCheckLines(context.known['CI_COMMIT_SHA'], job.variables, variablePrecedence(override).wins);
}

/** A policy job's variables: the filter under allowed: false, then its YAML values. */
function policyVariableLinesOf(job: ComposedJob, context: JobContext): string[] {
  // Scan jobs re-export their enforced variables themselves (sep/decide-scan-jobs.ts).
  if (job.origin.kind !== 'policy') return [];
  const override = job.origin.policy.policy.variablesOverride;
  const lines: string[] = [];
  if (override !== undefined && !override.allowed) {
    lines.push(...environmentFilterLines({ yamlNames: Object.keys(job.variables), exceptions: override.exceptions, known: context.known }));
  }
  lines.push(...policyVariableLines({ variables: job.variables, variablesOverride: override, userVariableNames: context.userVariableNames }));
  return lines;
}
/** SPEC §3: a project job may not use a reserved stage (GitLab: unknown stage outside policies). */
function rejectReservedProjectStages(composed: ComposedPipeline): void {
  for (const job of composed.jobs) {
    if (job.origin.kind !== 'project' || (job.stage !== POLICY_PRE_STAGE && job.stage !== POLICY_POST_STAGE)) continue;
    const available = composed.stages.filter((stage) => stage !== POLICY_PRE_STAGE && stage !== POLICY_POST_STAGE);
    throw new ConfigError(
      'reserved-stage',
      `${job.name} job: chosen stage ${job.stage} does not exist; available stages are ${available.join(', ')}`,
      { location: job.location, hint: 'Only pipeline execution policies can use the .pipeline-policy-pre and .pipeline-policy-post stages.' },
    );
  }
}
