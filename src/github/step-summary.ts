/**
 * The Markdown the action appends to `$GITHUB_STEP_SUMMARY`: the outcome, the policies (applied
 * or not, and why) and the composed jobs grouped by where they came from. Pure: report in, text out.
 */
import type { PipelineReport, ReportJob } from '../emit/report.js';

export interface SummaryInput {
  readonly command: string;
  readonly exitCode: number;
  /** The report compose/explain wrote, when there is one. */
  readonly report: PipelineReport | undefined;
  /** The CLI's error lines (`policy-sidecar: ...` and hints), shown when the command failed. */
  readonly errors: readonly string[];
}

export function renderStepSummary(input: SummaryInput): string {
  const { report } = input;
  const subject = report === undefined ? '' : `: ${report.project} (${report.pipelineSource} on ${report.ref})`;
  const lines = [`## policy-sidecar ${input.command}${escapeText(subject)}`, ''];
  lines.push(outcomeLine(input));
  if (input.exitCode !== 0 && input.errors.length > 0) lines.push('', ...fenced(input.errors));
  if (report === undefined) return lines.join('\n') + '\n';
  if (report.policyFailure !== null) {
    lines.push('', `> [!WARNING]`, `> Composed WITHOUT policies (--fail-open): ${escapeText(report.policyFailure.message)}`);
  }
  const applied = report.policies.filter((policy) => policy.applied).length;
  lines.push('', `### Policies (${applied} of ${report.policies.length} applied)`, '');
  if (report.policies.length === 0) lines.push('No policies.');
  else {
    lines.push('| policy | type | policy project | applied | why |', '| --- | --- | --- | --- | --- |');
    for (const policy of report.policies) {
      const cells = [policy.name, policy.type, `${policy.policyProject} #${policy.index}`, policy.applied ? '✅ yes' : '➖ no', policy.reason];
      lines.push(`| ${cells.map(escapeText).join(' | ')} |`);
    }
  }
  lines.push('', `### Jobs by origin (${report.jobs.length} in ${report.stages.length} stages)`, '');
  if (report.jobs.length === 0) lines.push('No jobs.');
  else {
    lines.push('| origin | jobs |', '| --- | --- |');
    for (const [origin, jobs] of groupByOrigin(report)) {
      lines.push(`| ${escapeText(origin)} | ${jobs.length}: ${jobs.map((job) => escapeText(job.name)).join(', ')} |`);
    }
  }
  const leftOut = report.excludedJobs.length + report.droppedPolicyJobs.length;
  if (leftOut > 0) lines.push('', `${leftOut} job(s) left out by rules or policies; run \`explain\` for the reasons.`);
  return lines.join('\n') + '\n';
}

function outcomeLine(input: SummaryInput): string {
  const { report } = input;
  if (input.exitCode !== 0) return `❌ Failed (exit ${input.exitCode}).`;
  if (report === undefined) return '✅ Passed.';
  if (!report.created) return `✅ No pipeline: ${escapeText(report.reason)}.`;
  return `✅ ${report.jobs.length} jobs in ${report.stages.length} stages.`;
}

/** Project jobs first, then each policy's in the report's policy order, then policy-sidecar's own. */
function groupByOrigin(report: PipelineReport): [string, ReportJob[]][] {
  const groups: [string, ReportJob[]][] = [['project', report.jobs.filter((job) => job.origin === 'project')]];
  for (const policy of report.policies) {
    const origin = policy.type === 'scan_execution_policy' ? 'scan-policy' : 'policy';
    const jobs = report.jobs.filter((job) => job.origin === origin && job.policy === policy.name && job.policyProject === policy.policyProject);
    groups.push([`${origin === 'policy' ? 'policy' : 'scan execution policy'} "${policy.name}" (${policy.policyProject})`, jobs]);
  }
  groups.push(['policy-sidecar (enforces order)', report.jobs.filter((job) => job.origin === 'sidecar')]);
  return groups.filter(([, jobs]) => jobs.length > 0);
}

/** Text from configurations shown as Markdown: no HTML, no emphasis or links by accident. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}

/** A code block whose fence is longer than any run of backticks inside it. */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence];
}
