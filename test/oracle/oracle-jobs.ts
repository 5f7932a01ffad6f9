/**
 * Turns gitlab-ci-local's two outputs into the comparable `OracleJob` shape, correcting the one
 * gitlab-ci-local deviation that is cheap and unambiguous to correct (job-level `when: manual`
 * default of `allow_failure`) and flagging the ones that are not (`only`/`except`).
 */
import type { ProbeAnswers } from './oracle-probes.js';
import { isRecord, type ListedJob, type RunResult } from './oracle-run.js';

export interface OracleJob {
  name: string;
  stage: string;
  when: string;
  allowFailure: boolean;
  needs: string[] | null;
  /** before_script followed by script: the lines GitLab runs as one shell script. */
  script: string[];
  beforeScript: string[];
  afterScript: string[];
  /** YAML variables only: global (as `inherit:variables` allows) < job < matching rule's variables. */
  variables: Record<string, string>;
  /**
   * Keywords on this job that gitlab-ci-local ignores, so its `when` is not GitLab's:
   * `only`/`except` are never evaluated (no code for them in its src/). Compare `when` only
   * when this is empty.
   */
  ignoredKeywords: string[];
}

export function normaliseJobs(run: RunResult, answers: ProbeAnswers, source: string): OracleJob[] {
  const globals = stringVariables(run.expanded['variables']);
  const workflow = run.expanded['workflow'];
  const hasWorkflowRules = typeof workflow === 'object' && workflow !== null && 'rules' in workflow;
  return run.listed.map((listed) => {
    const data = dataFor(listed.name, run.expanded);
    const job = normaliseJob(listed, data, globals, answers);
    return !hasWorkflowRules && isExcludedByDefaultOnly(data, source) ? { ...job, when: 'never' } : job;
  });
}

/**
 * A job with neither `rules` nor `only`/`except` behaves as `only: [branches, tags]` (docs
 * "ci/yaml" only:refs), so GitLab leaves it out of merge request pipelines, whose ref is
 * `refs/merge-requests/...`. gitlab-ci-local has no such default and keeps it. GitLab adds the
 * default only when the configuration has no `workflow:rules` (gitlab!21742: workflow rules
 * then decide which pipelines exist, and jobs without rules run in all of them).
 */
function isExcludedByDefaultOnly(data: Record<string, unknown>, source: string): boolean {
  const mergeRequestLike = source === 'merge_request_event' || source === 'external_pull_request_event';
  return mergeRequestLike && data['rules'] === undefined && data['only'] === undefined && data['except'] === undefined;
}

function normaliseJob(
  listed: ListedJob,
  data: Record<string, unknown>,
  globals: Record<string, string>,
  answers: ProbeAnswers,
): OracleJob {
  const beforeScript = stringList(data['before_script']);
  const mainScript = stringList(data['script']);
  return {
    name: listed.name,
    stage: listed.stage,
    when: listed.when,
    allowFailure: allowFailureOf(listed, data),
    needs: listed.needs === null ? null : [...listed.needs],
    script: [...beforeScript, ...mainScript],
    beforeScript,
    afterScript: stringList(data['after_script']),
    variables: {
      ...inheritedGlobals(globals, data['inherit']),
      ...stringVariables(data['variables']),
      ...matchedRuleVariables(listed, answers),
    },
    ignoredKeywords: ['only', 'except'].filter((key) => data[key] !== undefined),
  };
}

/** Parallel jobs are listed as `name: [1/3]` or `name: [a, b]` but stored under their base name. */
function dataFor(name: string, expanded: Record<string, unknown>): Record<string, unknown> {
  const direct = expanded[name];
  if (isRecord(direct)) return direct;
  const base = expanded[name.replace(/: \[[^\]]*\]$/, '')];
  return isRecord(base) ? base : {};
}

function allowFailureOf(listed: ListedJob, data: Record<string, unknown>): boolean {
  // GitLab: a job-level `when: manual` job defaults to `allow_failure: true` (docs "ci/yaml",
  // allow_failure). gitlab-ci-local applies that default only inside `rules` (src/utils.ts
  // getRulesResult) and uses `allow_failure ?? false` otherwise (src/job.ts constructor).
  if (listed.rules === null && data['when'] === 'manual' && data['allow_failure'] === undefined) return true;
  // `allow_failure: {exit_codes}` still allows failure, for the listed codes only.
  return typeof listed.allowFailure === 'object' ? true : listed.allowFailure;
}

function inheritedGlobals(globals: Record<string, string>, inherit: unknown): Record<string, string> {
  // docs "ci/yaml" inherit:variables: true (default), false, or a list of names to keep.
  const setting = isRecord(inherit) ? inherit['variables'] : undefined;
  if (setting === false) return {};
  if (Array.isArray(setting)) {
    return Object.fromEntries(Object.entries(globals).filter(([key]) => setting.includes(key)));
  }
  return globals;
}

function matchedRuleVariables(listed: ListedJob, answers: ProbeAnswers): Record<string, string> {
  const index = answers.matchedRule.get(listed.name);
  if (index === undefined || listed.rules === null) return {};
  return stringVariables(listed.rules[index]?.['variables']);
}

/** Values as gitlab-ci-local normalises them (src/utils.ts normalizeVariables): `{value}` to its value. */
function stringVariables(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const result: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) result[key] = '';
    else if (isRecord(raw)) result[key] = String(raw['value'] ?? '');
    else result[key] = String(raw);
  }
  return result;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.flat(9).map((line: unknown) => String(line));
}
