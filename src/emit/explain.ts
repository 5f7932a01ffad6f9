/** `explain`: the report, for people. One line per decision, grouped by outcome. */
import type { PipelineReport } from './report.js';

export function emitExplanation(report: PipelineReport): string {
  const lines: string[] = [];
  lines.push(`Pipeline for ${report.project} (${report.pipelineSource} on ${report.ref}), config ${report.configPath}`);
  lines.push(report.created ? `Created: ${report.reason}` : `No pipeline: ${report.reason}`);
  if (report.name !== null) lines.push(`Name: ${report.name}`);
  lines.push('', `Files read (${report.files.length}):`);
  for (const file of report.files) lines.push(`  ${file.kind.padEnd(9)} ${file.location}`);
  lines.push('', `Jobs in the pipeline (${report.jobs.length}):`);
  const stageWidth = Math.max(5, ...report.jobs.map((job) => job.stage.length));
  for (const job of report.jobs) {
    const origin = job.origin === 'policy' ? `policy ${job.policy ?? ''}` : job.definedAt ?? 'project';
    lines.push(`  ${job.stage.padEnd(stageWidth)}  ${job.name}  [${job.when}]  ${job.decidedBy}  (${origin})`);
  }
  lines.push('', `Jobs left out (${report.excludedJobs.length}):`);
  for (const job of report.excludedJobs) lines.push(`  ${job.name}: ${job.reason}${job.definedAt === null ? '' : `  (${job.definedAt})`}`);
  return lines.join('\n') + '\n';
}

/** The short summary `compose --summary` prints to standard error. */
export function emitSummary(report: PipelineReport): string {
  const stages = report.stages.filter((stage) => report.jobs.some((job) => job.stage === stage));
  const head = report.created
    ? `${report.project}: ${report.jobs.length} jobs in ${stages.length} stages (${stages.join(' → ')}), ${report.excludedJobs.length} left out by rules`
    : `${report.project}: no pipeline (${report.reason})`;
  return `${head}; ${report.files.length} files read\n`;
}
