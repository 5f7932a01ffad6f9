/**
 * Two answers gitlab-ci-local computes internally but never prints, obtained with "probe" jobs
 * that let its own rule evaluator (src/utils.ts getRulesResult) decide:
 * - whether `workflow:rules` create the pipeline: gitlab-ci-local only merges the matching
 *   rule's `variables` and never drops the pipeline (src/parser.ts init). A probe job whose
 *   `rules` are the workflow rules ends `when: never` exactly when GitLab would create no pipeline.
 * - which job rule matched, to recover its `rules:variables`: they enter the job's runtime
 *   variables (src/job.ts constructor) but neither output. One probe per rule, with `when: always`
 *   forced, tells whether that rule's conditions hold; the first that holds is the match.
 * Probes go into `.gitlab-ci-local.yml`, which gitlab-ci-local merges after the project's own
 * configuration (src/parser.ts init); it is written as JSON, which is valid YAML.
 */
import { isRecord, type ListedJob, type RunResult } from './oracle-run.js';

const workflowProbeName = 'oracle-probe:workflow';
const probePrefix = 'oracle-probe:';

interface RuleProbe {
  readonly jobName: string;
  readonly ruleIndex: number;
  readonly probeName: string;
}

export interface ProbePlan {
  readonly workflow: boolean;
  readonly rules: readonly RuleProbe[];
  /** The `.gitlab-ci-local.yml` text, or undefined when no probe is needed. */
  readonly file: string | undefined;
}

export interface ProbeAnswers {
  /** False when `workflow:rules` create no pipeline. */
  readonly pipelineCreated: boolean;
  /** Index of the matching rule per job name, for the jobs that were probed. */
  readonly matchedRule: ReadonlyMap<string, number | undefined>;
}

export function planProbes(first: RunResult): ProbePlan {
  const probes: Record<string, unknown> = {};
  const workflow = first.expanded['workflow'];
  const workflowRules = isRecord(workflow) && Array.isArray(workflow['rules']) ? workflow['rules'] : undefined;
  if (workflowRules !== undefined) {
    probes[workflowProbeName] = probeJob(workflowRules.filter(isRecord).map(workflowRuleAsJobRule), {});
  }
  const rules: RuleProbe[] = [];
  first.listed.forEach((job, jobIndex) => {
    if (!job.rules?.some((rule) => rule['variables'] !== undefined)) return;
    const data = first.expanded[job.name];
    // Matrix jobs (`name: [a, b]`) evaluate rules with matrix variables a probe cannot reproduce.
    if (!isRecord(data)) return;
    job.rules.forEach((rule, ruleIndex) => {
      const probeName = `${probePrefix}rule-${String(jobIndex)}-${String(ruleIndex)}`;
      rules.push({ jobName: job.name, ruleIndex, probeName });
      probes[probeName] = probeJob([withoutOutcome(rule)], {
        variables: isRecord(data['variables']) ? data['variables'] : {},
        inherit: { default: false, variables: isRecord(data['inherit']) ? (data['inherit']['variables'] ?? true) : true },
      });
    });
  });
  const needed = workflowRules !== undefined || rules.length > 0;
  return { workflow: workflowRules !== undefined, rules, file: needed ? `${JSON.stringify(probes, null, 2)}\n` : undefined };
}

export function readProbeAnswers(plan: ProbePlan, listed: readonly ListedJob[]): ProbeAnswers {
  const whenByName = new Map(listed.map((job) => [job.name, job.when]));
  const pipelineCreated = !plan.workflow || whenByName.get(workflowProbeName) !== 'never';
  const matchedRule = new Map<string, number | undefined>();
  for (const probe of plan.rules) {
    if (!matchedRule.has(probe.jobName)) matchedRule.set(probe.jobName, undefined);
    const holds = whenByName.get(probe.probeName) !== 'never';
    if (holds && matchedRule.get(probe.jobName) === undefined) matchedRule.set(probe.jobName, probe.ruleIndex);
  }
  return { pipelineCreated, matchedRule };
}

export function isProbeJob(name: string): boolean {
  return name.startsWith(probePrefix);
}

function probeJob(rules: readonly Record<string, unknown>[], extra: Record<string, unknown>): Record<string, unknown> {
  // `.post` always exists (gitlab-ci-local adds it), `needs: []` keeps the probe free of other jobs.
  return { stage: '.post', script: ['true'], needs: [], inherit: { default: false }, ...extra, rules };
}

/** Workflow rules decide with `when: always|never`; `auto_cancel` and `variables` are not job-rule keys we need. */
function workflowRuleAsJobRule(rule: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of ['if', 'changes', 'exists', 'when'] as const) {
    if (rule[key] !== undefined) kept[key] = rule[key];
  }
  return kept;
}

/** Keeps a rule's conditions and forces an outcome other than `never`, so "matched" is visible. */
function withoutOutcome(rule: Record<string, unknown>): Record<string, unknown> {
  const conditions: Record<string, unknown> = {};
  for (const key of ['if', 'changes', 'exists'] as const) {
    if (rule[key] !== undefined) conditions[key] = rule[key];
  }
  return { ...conditions, when: 'always' };
}
