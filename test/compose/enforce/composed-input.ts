/**
 * Builds a ComposedPipeline from a short description (a fixture's `input.yml`, or an object in
 * a run test), so cases say only what matters: each job's keywords as in `.gitlab-ci.yml`, plus
 * `origin` (`project`, the default, or a key of `policies`).
 */
import { jobVariablesScope, readVariables } from '../../../src/ci/expand/index.js';
import type { RunWhen } from '../../../src/ci/pipeline.js';
import { isSeq, type CiMap, type CiValue } from '../../../src/ci/value.js';
import type { EnforceOptions } from '../../../src/compose/enforce/index.js';
import type { ComposedJob, ComposedPipeline, JobOrigin, PepPolicy } from '../../../src/compose/types.js';
import type { VariablesOverride } from '../../../src/policies/types.js';

export interface PolicyInput {
  readonly id?: number;
  readonly index?: number;
  readonly variables_override?: VariablesOverride;
  /** Its security policy project; default `security/policies`. */
  readonly project?: string;
}

export interface ComposedInput {
  readonly options?: Partial<EnforceOptions>;
  readonly policies?: Readonly<Record<string, PolicyInput>>;
  readonly stages?: readonly string[];
  readonly jobs: Readonly<Record<string, CiMap>>;
}

const DEFAULT_STAGES = ['.pipeline-policy-pre', '.pre', 'build', 'test', 'deploy', '.post', '.pipeline-policy-post'];
const RUN_WHENS: readonly string[] = ['on_success', 'on_failure', 'always', 'manual', 'delayed'];

export function enforceOptionsOf(input: ComposedInput): EnforceOptions {
  return { userVariableNames: [], preMustSucceed: true, ...input.options };
}

export function buildComposedPipeline(input: ComposedInput): ComposedPipeline {
  const policies = new Map(Object.entries(input.policies ?? {}).map(([key, policy]) => [key, pepPolicy(key, policy)]));
  const jobs = Object.entries(input.jobs).map(([name, config]): ComposedJob => {
    const { origin, stage, when, allow_failure: allowFailure, start_in: startIn, needs, variables, ...definition } = config;
    const policy = typeof origin === 'string' && origin !== 'project' ? policies.get(origin) : undefined;
    if (typeof origin === 'string' && origin !== 'project' && policy === undefined) throw new Error(`${name}: unknown origin ${origin}`);
    const jobOrigin: JobOrigin = policy === undefined ? { kind: 'project' } : { kind: 'policy', policy };
    return {
      name,
      originalName: name,
      origin: jobOrigin,
      stage: typeof stage === 'string' ? stage : 'test',
      when: readWhen(when, name),
      allowFailure: allowFailure ?? (when === 'manual'),
      startIn: typeof startIn === 'string' ? startIn : undefined,
      needs: needs === undefined ? undefined : isSeq(needs) ? needs : [needs],
      variables: readVariables(variables, undefined, jobVariablesScope(name)),
      definition,
      decision: 'test input',
      location: { file: 'input.yml' },
    };
  });
  return {
    created: true,
    reason: 'test input',
    name: undefined,
    stages: input.stages ?? DEFAULT_STAGES,
    jobs,
    excluded: [],
    droppedPolicyJobs: [],
    policyMerges: [],
    files: [],
  };
}

/** A parsed `input.yml`, checked enough that the builder can trust its shape. */
export function readComposedInput(value: unknown): ComposedInput {
  if (!isRecord(value) || !isRecord(value['jobs'])) throw new Error('input.yml needs a `jobs` mapping');
  const jobs: Record<string, CiMap> = {};
  for (const [name, job] of Object.entries(value['jobs'])) {
    if (!isRecord(job)) throw new Error(`input.yml: job ${name} is not a mapping`);
    jobs[name] = job as CiMap; // parsed YAML: plain data, so every value is a CiValue
  }
  const stages = value['stages'];
  if (stages !== undefined && !(Array.isArray(stages) && stages.every((stage) => typeof stage === 'string'))) {
    throw new Error('input.yml: stages must be a list of names');
  }
  return {
    jobs,
    ...(stages === undefined ? {} : { stages: stages as string[] }), // checked just above
    ...(isRecord(value['options']) ? { options: value['options'] as Partial<EnforceOptions> } : {}), // test data, read by name
    ...(isRecord(value['policies']) ? { policies: value['policies'] as Record<string, PolicyInput> } : {}), // test data, read by name
  };
}

function pepPolicy(key: string, input: PolicyInput): PepPolicy {
  return {
    policy: {
      type: 'pipeline_execution_policy',
      name: key,
      description: undefined,
      enabled: true,
      content: { project: 'security/policies', file: `${key}.yml`, ref: undefined },
      strategy: 'inject_policy',
      suffix: 'on_conflict',
      skipCi: undefined,
      variablesOverride: input.variables_override,
      policyScope: undefined,
    },
    policyProject: { path: input.project ?? 'security/policies', id: input.id ?? 123 },
    index: input.index ?? 0,
    location: undefined,
  };
}

function readWhen(value: CiValue | undefined, job: string): RunWhen {
  if (value === undefined) return 'on_success';
  if (typeof value === 'string' && RUN_WHENS.includes(value)) return value as RunWhen; // checked against the list
  throw new Error(`${job}: unknown when ${String(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
