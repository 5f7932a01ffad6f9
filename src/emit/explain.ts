/** `explain`: the report, for people. One line per decision, grouped by outcome. */
import type { PipelineReport, PolicyOutcome, ReportJob } from './report.js';

export function emitExplanation(report: PipelineReport): string {
  const lines: string[] = [];
  lines.push(`Pipeline for ${report.project} (${report.pipelineSource} on ${report.ref}), config ${report.configPath}`);
  lines.push(report.created ? `Created: ${report.reason}` : `No pipeline: ${report.reason}`);
  if (report.name !== null) lines.push(`Name: ${report.name}`);
  if (report.policyFailure !== null) {
    lines.push(`WARNING: composed WITHOUT policies (--fail-open): ${report.policyFailure.message}`);
  }
  for (const warning of report.warnings ?? []) lines.push(`WARNING: ${warning.message}`);
  lines.push('', `Policies (${report.policies.length}):`);
  for (const policy of report.policies) {
    lines.push(`  ${OUTCOME_LABELS[outcomeOf(policy)]}  "${policy.name}" (${policy.type}, ${policy.policyProject} #${policy.index}): ${policy.reason}`);
    for (const dropped of policy.droppedBy ?? []) lines.push(`      no job: ${dropped}`);
  }
  const scanActions = report.scanActions ?? [];
  if (scanActions.length > 0) {
    lines.push('', `Scan execution policy actions (${scanActions.length}):`);
    for (const action of scanActions) {
      const jobs = action.jobs.length === 0 ? '' : ` → ${action.jobs.join(', ')}`;
      const excluded = action.excludedJobs.length === 0 ? '' : ` (left out by rules: ${action.excludedJobs.join(', ')})`;
      lines.push(`  ${OUTCOME_LABELS[outcomeOf(action)]}  "${action.policy}" action ${action.action} (${action.scan})${jobs}${excluded}: ${action.reason}`);
      if (outcomeOf(action) === 'applied-no-jobs') for (const dropped of action.droppedBy ?? []) lines.push(`      no job: ${dropped}`);
    }
  }
  lines.push('', `Files read (${report.files.length}):`);
  for (const file of report.files) lines.push(`  ${file.kind.padEnd(9)} ${file.location}`);
  lines.push('', `Jobs in the pipeline (${report.jobs.length}):`);
  const stageWidth = Math.max(5, ...report.jobs.map((job) => job.stage.length));
  for (const job of report.jobs) {
    // The two-file layout (--pre-out): the strict pre jobs run in a pipeline of their own.
    const where = job.pipeline === 'pre' ? '  [pre pipeline]' : '';
    lines.push(`  ${job.stage.padEnd(stageWidth)}  ${job.name}  [${job.when}]${where}  ${job.decidedBy}  (${originOf(job)})`);
  }
  lines.push('', `Jobs left out (${report.excludedJobs.length + report.droppedPolicyJobs.length}):`);
  for (const job of report.excludedJobs) lines.push(`  ${job.name}: ${job.reason}${job.definedAt === null ? '' : `  (${job.definedAt})`}`);
  for (const job of report.droppedPolicyJobs) lines.push(`  ${job.name} (policy "${job.policy}"): ${job.reason}`);
  return lines.join('\n') + '\n';
}

const OUTCOME_LABELS: Readonly<Record<PolicyOutcome, string>> = {
  applied: 'applied         ',
  'applied-no-jobs': 'applied, no jobs',
  'not-applied': 'not applied     ',
};

/** Reports written before `outcome` existed say only `applied`. */
export function outcomeOf(entry: { readonly applied: boolean; readonly outcome?: PolicyOutcome }): PolicyOutcome {
  return entry.outcome ?? (entry.applied ? 'applied' : 'not-applied');
}

function originOf(job: ReportJob): string {
  if (job.origin === 'sidecar') return 'added by policy-sidecar to enforce order';
  const where = job.definedAt ?? 'unknown place';
  if (job.origin === 'project') return `project, ${where}`;
  if (job.origin === 'scan-policy') return `scan execution policy "${job.policy ?? ''}" from ${job.policyProject ?? ''}, template job ${job.originalName}`;
  const renamed = job.originalName === job.name ? '' : `, renamed from ${job.originalName}`;
  return `policy "${job.policy ?? ''}" from ${job.policyProject ?? ''}, ${where}${renamed}`;
}

/** The short summary `compose --summary` prints to standard error. */
export function emitSummary(report: PipelineReport): string {
  const stages = report.stages.filter((stage) => report.jobs.some((job) => job.stage === stage));
  const policyJobs = report.jobs.filter((job) => job.origin === 'policy' || job.origin === 'scan-policy').length;
  const applied = report.policies.filter((policy) => outcomeOf(policy) === 'applied').length;
  const noJobs = report.policies.filter((policy) => outcomeOf(policy) === 'applied-no-jobs');
  const withoutJobs = noJobs.length === 0 ? '' : `; ${noJobs.length} applied with no jobs (all left out by rules): ${noJobs.map((policy) => `"${policy.name}"`).join(', ')}`;
  const fromPolicies = report.policies.length === 0 ? '' : ` (${policyJobs} from ${applied} of ${report.policies.length} policies${withoutJobs})`;
  const head = report.created
    ? `${report.project}: ${report.jobs.length} jobs${fromPolicies} in ${stages.length} stages (${stages.join(' → ')}), ${report.excludedJobs.length} left out by rules`
    : `${report.project}: no pipeline (${report.reason})`;
  const warning =
    (report.policyFailure === null ? '' : `; WARNING: policies not applied (--fail-open): ${report.policyFailure.message}`) +
    (report.warnings ?? []).map((item) => `; WARNING: ${item.message}`).join('');
  return `${head}; ${report.files.length} files read${warning}\n`;
}
