/**
 * One CI configuration → the pipeline GitLab would create from it, in GitLab's order of steps:
 * includes → extends → !reference → default/variables per job → workflow:rules → job rules →
 * needs checked against the jobs that remain. Every step is a pure function of its inputs; the
 * sources and repository facts are passed in.
 */
import { ConfigError } from '../errors.js';
import type { PipelineContext, RepositoryFacts, Variables } from './context.js';
import { expandConfig, inheritVariables, type CiVariable, type ExpandedJob, type VariableMap } from './expand/index.js';
import { resolveIncludes, selectIncludeVariables, type ConfigFileRef, type IncludeEnvironment } from './include/index.js';
import type { CiLimits } from './limits.js';
import { checkJobEntries } from './jobs/check-job-entries.js';
import { checkJobReferences } from './jobs/check-job-references.js';
import { checkNeeds } from './needs.js';
import type { ExcludedJob, ResolvedJob, ResolvedPipeline, RunWhen } from './pipeline.js';
import { evaluateOnlyExcept, evaluateRules, evaluateWorkflow, type JobWhen, type RuleScope } from './rules/index.js';
import type { CiMap, CiValue } from './value.js';

export interface ResolveRequest {
  readonly file: ConfigFileRef;
  readonly text: string;
  readonly context: PipelineContext;
  readonly facts: RepositoryFacts;
  readonly limits: CiLimits;
  readonly source: IncludeEnvironment['source'];
  readonly remote: IncludeEnvironment['remote'];
  readonly serverHost: string;
  /** Resolve a pipeline execution policy's configuration: the reserved policy stages exist. */
  readonly policyPipeline?: boolean;
}

export async function resolvePipeline(request: ResolveRequest): Promise<ResolvedPipeline> {
  const { context, facts } = request;
  const includeVariables = selectIncludeVariables(context.predefined, context.user);
  const included = await resolveIncludes(request.file, request.text, {
    source: request.source,
    remote: request.remote,
    limits: request.limits,
    variables: includeVariables,
    facts,
    evaluateRules: (rules, scope) => evaluateRules(rules, scope),
    serverHost: request.serverHost,
    namesRelativeTo: { project: context.projectPath, ref: undefined },
  });
  const files = included.files.map((file) => ({ kind: file.kind, location: file.location }));
  const expanded = expandConfig(included.config, request.limits, { policyPipeline: request.policyPipeline === true });
  const file = request.file.path;
  // GitLab validates every job's keywords, then their needs and dependencies, before any rule.
  for (const job of expanded.jobs) checkJobEntries(job);
  checkJobReferences(expanded.jobs, expanded.stages);

  const globalValues = valuesOf(expanded.globalVariables);
  const workflow = await evaluateWorkflow(expanded.workflow, {
    variables: { ...context.predefined, ...globalValues, ...context.user },
    facts,
    file,
  });
  if (!workflow.run) {
    return { created: false, reason: workflow.reason, name: undefined, stages: expanded.stages, jobs: [], excluded: [], files };
  }

  const jobs: ResolvedJob[] = [];
  const excluded: ExcludedJob[] = [];
  const hasWorkflowRules = expanded.workflow?.['rules'] !== undefined;
  for (const job of expanded.jobs) {
    const variables = overlayWorkflowVariables(job, expanded.globalVariables, workflow.variables);
    const scope: RuleScope = {
      // GitLab precedence for rules: predefined < YAML (global, workflow, job) < settings and pipeline variables.
      variables: { ...context.predefined, ...valuesOf(variables), ...context.user },
      facts,
      file,
      path: `jobs:${job.name}`,
    };
    const decided = await decideJob(job, variables, scope, context, hasWorkflowRules);
    if ('reason' in decided && !('stage' in decided)) excluded.push(decided);
    else jobs.push(decided as ResolvedJob);
  }

  const checked = checkNeeds(jobs);
  const runnable = checked.filter((job) => job.stage !== '.pre' && job.stage !== '.post');
  if (checked.length === 0 || runnable.length === 0) {
    // docs "ci/yaml/#stage-pre": a pipeline with only .pre/.post jobs is not created.
    const reason = checked.length === 0 ? 'no job is left after rules' : 'only .pre and .post jobs are left after rules';
    return { created: false, reason, name: workflow.name, stages: expanded.stages, jobs: checked, excluded, files };
  }
  return { created: true, reason: workflow.reason, name: workflow.name, stages: expanded.stages, jobs: checked, excluded, files };
}

async function decideJob(
  job: ExpandedJob,
  variables: VariableMap,
  scope: RuleScope,
  context: PipelineContext,
  hasWorkflowRules: boolean,
): Promise<ResolvedJob | ExcludedJob> {
  const definition = job.definition;
  const jobWhen = readWhen(definition['when'], job);
  const hasRules = definition['rules'] !== undefined;
  const legacyKeys = ['only', 'except'].filter((key) => definition[key] !== undefined);
  if (hasRules && legacyKeys.length > 0) {
    throw new ConfigError('rules-with-only-except', `jobs:${job.name} config key may not be used with \`rules\`: ${legacyKeys.join(', ')}`, {
      location: job.location,
    });
  }
  if (!hasRules) {
    const verdict = await evaluateOnlyExcept(definition, {
      ...scope,
      source: context.predefined['CI_PIPELINE_SOURCE'] ?? 'push',
      ref: context.predefined['CI_COMMIT_REF_NAME'] ?? '',
      isTag: context.predefined['CI_COMMIT_TAG'] !== undefined,
      projectPath: context.projectPath,
      // gitlab!21742: with workflow:rules, jobs get no implicit `only: [branches, tags]`.
      hasWorkflowRules,
    });
    if (!verdict.included || jobWhen === 'never') {
      return { name: job.name, reason: verdict.included ? 'when: never' : verdict.reason, location: job.location };
    }
    return buildJob(job, variables, {
      when: jobWhen,
      // docs "ci/yaml/#allow_failure": manual jobs outside rules default to allow_failure: true.
      allowFailure: definition['allow_failure'] ?? jobWhen === 'manual',
      startIn: stringOrUndefined(definition['start_in']),
      needs: definition['needs'],
      ruleVariables: {},
      decision: verdict.reason,
    });
  }
  const outcome = await evaluateRules(definition['rules'] as CiValue, scope, jobWhen);
  if (outcome.when === 'never') return { name: job.name, reason: outcome.reason, location: job.location };
  return buildJob(job, variables, {
    when: outcome.when,
    // entry/job.rb Job#ignored? (gitlab-org/gitlab#362225): without allow_failure in the matching
    // rule, the job's own allow_failure holds, and it defaults to true for a job-level
    // `when: manual`; a `when: manual` that only the rule sets defaults to false
    // (docs "ci/yaml/#rulesallow_failure").
    allowFailure: outcome.allowFailure ?? definition['allow_failure'] ?? jobWhen === 'manual',
    startIn: outcome.startIn ?? stringOrUndefined(definition['start_in']),
    needs: outcome.needs ?? definition['needs'],
    ruleVariables: outcome.variables,
    decision: outcome.reason,
  });
}

interface Decision {
  readonly when: RunWhen;
  readonly allowFailure: CiValue;
  readonly startIn: string | undefined;
  readonly needs: CiValue | undefined;
  readonly ruleVariables: Variables;
  readonly decision: string;
}

const DECIDED_KEYS = new Set(['stage', 'when', 'allow_failure', 'start_in', 'needs', 'rules', 'only', 'except']);

function buildJob(job: ExpandedJob, variables: VariableMap, decision: Decision): ResolvedJob {
  const definition: CiMap = {};
  for (const [key, value] of Object.entries(job.definition)) if (!DECIDED_KEYS.has(key)) definition[key] = value;
  const ruleVariables = Object.fromEntries(
    Object.entries(decision.ruleVariables).map(([key, value]) => [key, { value, expand: true }]),
  );
  const needs = decision.needs;
  return {
    name: job.name,
    stage: typeof job.definition['stage'] === 'string' ? job.definition['stage'] : 'test',
    when: decision.when,
    allowFailure: decision.allowFailure,
    startIn: decision.startIn,
    needs: Array.isArray(needs) ? needs : needs === undefined || needs === null ? undefined : [needs],
    variables: { ...variables, ...ruleVariables },
    definition,
    decision: decision.decision,
    location: job.location,
  };
}

/**
 * docs "ci/yaml/workflow#workflowrulesvariables": variables of the matching workflow rule are
 * global variables that replace globals of the same name, so they reach the jobs that inherit
 * globals (`inherit:variables`), below each job's own variables.
 */
function overlayWorkflowVariables(job: ExpandedJob, globals: VariableMap, overrides: Variables): VariableMap {
  if (Object.keys(overrides).length === 0) return job.variables;
  const merged: Record<string, CiVariable> = { ...globals };
  for (const [name, value] of Object.entries(overrides)) merged[name] = { value, expand: true };
  return inheritVariables(merged, job.variablesInheritance, job.ownVariables);
}

function readWhen(value: CiValue | undefined, job: ExpandedJob): JobWhen {
  if (value === undefined || value === null) return 'on_success';
  const allowed: readonly JobWhen[] = ['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never'];
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as JobWhen;
  throw new ConfigError('job-when', `jobs:${job.name} when should be one of: ${allowed.join(', ')}`, {
    location: job.location,
  });
}

function valuesOf(variables: VariableMap): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([key, variable]) => [key, variable.value]));
}

function stringOrUndefined(value: CiValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

