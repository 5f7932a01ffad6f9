/** `explain`: the report, for people. One line per decision, grouped by outcome. */
import type { PipelineReport, ReportJob } from './report.js';

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
    lines.push(`  ${policy.applied ? 'applied    ' : 'not applied'}  "${policy.name}" (${policy.type}, ${policy.policyProject} #${policy.index}): ${policy.reason}`);
  }
  const scanActions = report.scanActions ?? [];
  if (scanActions.length > 0) {
    lines.push('', `Scan execution policy actions (${scanActions.length}):`);
    for (const action of scanActions) {
      const jobs = action.jobs.length === 0 ? '' : ` → ${action.jobs.join(', ')}`;
      const excluded = action.excludedJobs.length === 0 ? '' : ` (left out by rules: ${action.excludedJobs.join(', ')})`;
      lines.push(`  ${action.applied ? 'applied    ' : 'not applied'}  "${action.policy}" action ${action.action} (${action.scan})${jobs}${excluded}: ${action.reason}`);
    }
  }
  lines.push('', `Files read (${report.files.length}):`);
  for (const file of report.files) lines.push(`  ${file.kind.padEnd(9)} ${file.location}`);
  lines.push('', `Jobs in the pipeline (${report.jobs.length}):`);
  const stageWidth = Math.max(5, ...report.jobs.map((job) => job.stage.length));
  for (const job of report.jobs) {
    lines.push(`  ${job.stage.padEnd(stageWidth)}  ${job.name}  [${job.when}]  ${job.decidedBy}  (${originOf(job)})`);
  }
  lines.push('', `Jobs left out (${report.excludedJobs.length + report.droppedPolicyJobs.length}):`);
  for (const job of report.excludedJobs) lines.push(`  ${job.name}: ${job.reason}${job.definedAt === null ? '' : `  (${job.definedAt})`}`);
  for (const job of report.droppedPolicyJobs) lines.push(`  ${job.name} (policy "${job.policy}"): ${job.reason}`);
  return lines.join('\n') + '\n';
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
  const applied = report.policies.filter((policy) => policy.applied).length;
  const fromPolicies = report.policies.length === 0 ? '' : ` (${policyJobs} from ${applied} of ${report.policies.length} policies)`;
  const head = report.created
    ? `${report.project}: ${report.jobs.length} jobs${fromPolicies} in ${stages.length} stages (${stages.join(' → ')}), ${report.excludedJobs.length} left out by rules`
    : `${report.project}: no pipeline (${report.reason})`;
  const warning =
    (report.policyFailure === null ? '' : `; WARNING: policies not applied (--fail-open): ${report.policyFailure.message}`) +
    (report.warnings ?? []).map((item) => `; WARNING: ${item.message}`).join('');
  return `${head}; ${report.files.length} files read${warning}\n`;
}
