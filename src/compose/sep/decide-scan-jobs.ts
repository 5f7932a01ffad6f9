/**
 * The generated scan jobs' remaining rules, evaluated in the pipeline's own context like the
 * project's jobs (the composed child pipeline has no rules left to evaluate; SPEC §3 step 4), and
 * the enforced variables made to win at run time (gitlab-pep-sep.md §5.4): as for pipeline
 * execution policy jobs (compose/enforce/policy-variables.ts), the job re-exports them before its
 * own commands, since a project or pipeline variable would otherwise outrank its YAML.
 */
import type { PipelineContext, RepositoryFacts } from '../../ci/context.js';
import type { CiVariable, VariableMap } from '../../ci/expand/index.js';
import type { ExcludedJob, RunWhen } from '../../ci/pipeline.js';
import { evaluateRules, type JobWhen } from '../../ci/rules/index.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../../ci/value.js';
import { prependScriptLines } from '../enforce/job-edits.js';
import { policyVariableLines } from '../enforce/policy-variables.js';
import type { ComposedJob } from '../types.js';
import type { ScanJobDraft } from './build-scan-jobs.js';

export interface ScanJobContext {
  readonly context: PipelineContext;
  readonly facts: RepositoryFacts;
  /** Names of the variables from outside the YAML (settings, pipeline): for the report only. */
  readonly userVariableNames: readonly string[];
}

export interface DecidedScanJobs {
  readonly jobs: readonly ComposedJob[];
  readonly excluded: readonly ExcludedJob[];
}

// As resolve-pipeline.ts: these keywords are decided here and leave the definition.
const DECIDED_KEYS = new Set(['stage', 'when', 'allow_failure', 'start_in', 'needs', 'rules', 'only', 'except']);
const WHEN_VALUES: readonly string[] = ['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never'];

export async function decideScanJobs(drafts: readonly ScanJobDraft[], scope: ScanJobContext): Promise<DecidedScanJobs> {
  const jobs: ComposedJob[] = [];
  const excluded: ExcludedJob[] = [];
  for (const draft of drafts) {
    const decided = await decideScanJob(draft, scope);
    if ('origin' in decided) jobs.push(decided);
    else excluded.push(decided);
  }
  return { jobs, excluded };
}

async function decideScanJob(draft: ScanJobDraft, { context, facts, userVariableNames }: ScanJobContext): Promise<ComposedJob | ExcludedJob> {
  const { definition } = draft;
  const jobWhen = readWhen(definition['when']);
  const enforced = draft.enforced;
  const rules = definition['rules'];
  // The enforced values win for rules too: GitLab evaluates them with the job's variables.
  const variables = { ...context.predefined, ...valuesOf(draft.variables), ...context.user, ...enforced };
  const outcome =
    rules === undefined
      ? undefined
      : await evaluateRules(rules, { variables, facts, file: draft.location?.file ?? draft.name, path: `jobs:${draft.name}` }, jobWhen);
  const when = outcome?.when ?? jobWhen;
  const who = `scan execution policy "${draft.origin.policy.policy.name}", ${draft.origin.scan} action (index ${draft.origin.index})`;
  if (when === 'never') {
    // "No rule matched" alone does not say which pipelines the job is for: name the rules tried.
    const tried = outcome !== undefined && outcome.matchedIndex === undefined ? describeRules(rules) : '';
    return { name: draft.name, reason: `${who}: ${outcome?.reason ?? 'when: never'}${tried}`, location: draft.location };
  }
  const ruleVariables = Object.fromEntries(Object.entries(outcome?.variables ?? {}).map(([name, value]) => [name, { value, expand: true }]));
  const finalVariables: VariableMap = { ...draft.variables, ...ruleVariables, ...pick(draft.variables, Object.keys(enforced)) };
  const lines = policyVariableLines({ variables: pick(draft.variables, Object.keys(enforced)), variablesOverride: undefined, userVariableNames });
  const kept: CiMap = {};
  for (const [key, value] of Object.entries(definition)) if (!DECIDED_KEYS.has(key)) kept[key] = value;
  const needs = outcome?.needs ?? definition['needs'];
  return {
    name: draft.name,
    originalName: draft.originalName,
    origin: draft.origin,
    stage: typeof definition['stage'] === 'string' ? definition['stage'] : 'test',
    when: when as RunWhen,
    allowFailure: outcome?.allowFailure ?? definition['allow_failure'] ?? false,
    startIn: outcome?.startIn ?? (typeof definition['start_in'] === 'string' ? definition['start_in'] : undefined),
    needs: Array.isArray(needs) ? needs : needs === undefined || needs === null ? undefined : [needs],
    variables: finalVariables,
    definition: prependScriptLines(kept, lines),
    decision: `${who}: ${outcome?.reason ?? 'no rules'}`,
    location: draft.location,
  };
}

/** ` (rule 1 if: …; rule 2 if: … exists: …)`: the conditions of the rules left after the template's own were stripped. */
function describeRules(rules: CiValue | undefined): string {
  if (!isSeq(rules) || rules.length === 0) return '';
  const described = rules.map((rule, index) => {
    if (!isMap(rule)) return `rule ${index + 1}`;
    const parts = [
      typeof rule['if'] === 'string' ? `if: ${rule['if']}` : undefined,
      rule['exists'] === undefined ? undefined : 'exists: …',
      rule['changes'] === undefined ? undefined : 'changes: …',
      rule['when'] === 'never' ? 'when: never' : undefined,
    ];
    const clauses = parts.filter((part): part is string => part !== undefined);
    return `rule ${index + 1} ${clauses.length === 0 ? 'without conditions' : clauses.join(' ')}`;
  });
  return ` (${described.join('; ')})`;
}

function readWhen(value: CiValue | undefined): JobWhen {
  // Templates were checked by the engine; anything else is the default.
  return typeof value === 'string' && WHEN_VALUES.includes(value) ? (value as JobWhen) : 'on_success';
}

function pick(variables: VariableMap, names: readonly string[]): Record<string, CiVariable> {
  const picked: Record<string, CiVariable> = {};
  for (const name of names) {
    const variable = variables[name];
    if (variable !== undefined) picked[name] = variable;
  }
  return picked;
}

function valuesOf(variables: VariableMap): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, variable.value]));
}
