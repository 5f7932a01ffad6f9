/**
 * Resolved pipelines as the CI resolver would return them, built from a few fields, so the
 * merge tests state only what each behaviour is about.
 */
import { POST_STAGE, PRE_STAGE, readStages } from '../../../src/ci/expand/stages.js';
import type { ResolvedJob, ResolvedPipeline } from '../../../src/ci/pipeline.js';
import type { CiSeq } from '../../../src/ci/value.js';
import type { PepPolicy, PolicyPipeline } from '../../../src/compose/types.js';
import type { PipelineConfigStrategy } from '../../../src/policies/types.js';
import { PolicyError } from '../../../src/errors.js';

export function job(name: string, stage = 'test', needs?: CiSeq): ResolvedJob {
  return {
    name,
    stage,
    when: 'on_success',
    allowFailure: false,
    startIn: undefined,
    needs,
    variables: {},
    definition: { script: [`echo ${name}`] },
    decision: 'no rules: the job runs',
    location: undefined,
  };
}

export interface PipelineSpec {
  /** Declared `stages:`; undefined: none declared (GitLab's defaults). */
  readonly stages?: readonly string[];
  readonly jobs?: readonly ResolvedJob[];
  /** A reason makes the pipeline filtered out by workflow:rules (no jobs). */
  readonly filteredBy?: string;
  readonly name?: string;
}

/** Stages wrapped and `created` decided the way ci/resolve-pipeline.ts does. */
export function pipeline(spec: PipelineSpec, policyPipeline = false): ResolvedPipeline {
  const stages = readStages(spec.stages === undefined ? undefined : [...spec.stages], undefined, policyPipeline);
  const files = [{ kind: 'local', location: policyPipeline ? 'policy-ci.yml' : '.gitlab-ci.yml' }];
  if (spec.filteredBy !== undefined) {
    return { created: false, reason: spec.filteredBy, name: undefined, stages, jobs: [], excluded: [], files };
  }
  const jobs = spec.jobs ?? [];
  const runnable = jobs.filter((entry) => entry.stage !== PRE_STAGE && entry.stage !== POST_STAGE);
  const reason = jobs.length === 0 ? 'no job is left after rules' : runnable.length === 0 ? 'only .pre and .post jobs are left after rules' : 'no workflow:rules';
  return { created: runnable.length > 0, reason, name: spec.name, stages, jobs, excluded: [], files };
}

export interface PolicySpec extends PipelineSpec {
  readonly policyName?: string;
  readonly strategy?: PipelineConfigStrategy;
  readonly suffix?: 'on_conflict' | 'never';
  /** The security policy project's id: the `<id>` of the job suffix. */
  readonly sppId?: number;
  readonly index?: number;
}

export function pepPolicy(spec: PolicySpec = {}): PepPolicy {
  const sppId = spec.sppId ?? 123456;
  return {
    policy: {
      type: 'pipeline_execution_policy',
      name: spec.policyName ?? `policy-${sppId}-${spec.index ?? 0}`,
      description: undefined,
      enabled: true,
      content: { project: 'compliance/ci', file: 'policy-ci.yml', ref: undefined },
      strategy: spec.strategy ?? 'inject_policy',
      suffix: spec.suffix ?? 'on_conflict',
      skipCi: undefined,
      variablesOverride: undefined,
      policyScope: undefined,
    },
    policyProject: { path: `group-${sppId}/security-policies`, id: sppId },
    index: spec.index ?? 0,
    location: undefined,
  };
}

export function policyPipeline(spec: PolicySpec): PolicyPipeline {
  return { policy: pepPolicy(spec), pipeline: pipeline(spec, true) };
}

/** A full wrapped list from the declared stages, as tables in the reference leave the edges out. */
export function wrapped(stages: readonly string[]): string[] {
  return ['.pipeline-policy-pre', '.pre', ...stages, '.post', '.pipeline-policy-post'];
}

/** The PolicyError `run` throws; any other outcome fails the test. */
export function caughtPolicyError(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}
