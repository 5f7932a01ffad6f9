/**
 * `evaluate` in API mode: a pipeline's security reports, only from the jobs its compose report
 * (`policy-report.json` of its `policy:compose` job) names as policy or scan execution policy
 * jobs, in the composed child pipelines (issue #10). Reports of project jobs are ignored, even
 * under a scan job's file name; a scan the compose report says applied whose report is missing is
 * marked missing, for the approval rules' `fallback_behavior`. Each step is said in `notes`.
 */
import type { ReportSet } from '../gating/findings-model.js';
import { findMissingScans, readComposeReportJobs } from '../gating/reports/compose-report-jobs.js';
import { readReports } from '../gating/reports/index.js';
import type { MergeRequestGate } from '../sources/gitlab/merge-request-gate.js';

export interface PipelineReports {
  /** undefined: the pipeline has no usable compose report, so nothing in it is trusted. */
  readonly reports: ReportSet | undefined;
  /** One line each, for the job log. */
  readonly notes: readonly string[];
}

export async function readTrustedPipelineReports(api: MergeRequestGate, pipelineId: number, projectId: number, label: string): Promise<PipelineReports> {
  const notes: string[] = [];
  const say = (text: string): number => notes.push(`reports (${label} pipeline #${pipelineId}): ${text}`);
  const found = await api.composeReport(pipelineId);
  if ('missing' in found) {
    say(`${found.missing}: no security report is trusted`);
    return { reports: undefined, notes };
  }
  const composed = readComposeReportJobs(found.report, 'policy-report.json');
  if ('unreadable' in composed) {
    say(`${composed.unreadable}: no security report is trusted`);
    return { reports: undefined, notes };
  }
  if (composed.policyFailure !== undefined) say(`composed WITHOUT policies (--fail-open): ${composed.policyFailure}`);
  const { files, children, ignored } = await api.trustedReportArtifacts(pipelineId, composed.trustedJobs);
  const read = readReports(files, { projectId });
  const missingScans = findMissingScans(read, composed.expectedScans);
  const where = children.length === 0 ? 'no composed child pipeline' : `composed pipeline${children.length === 1 ? '' : 's'} ${children.map((id) => `#${id}`).join(', ')}`;
  say(`${read.files.length} report file(s) from policy jobs in ${where}${read.files.length === 0 ? '' : `: ${read.files.join(', ')}`}`);
  if (ignored.length > 0) say(`ignored, not written by a policy job: ${ignored.join(', ')}`);
  for (const scan of missingScans) say(`missing ${scan.reportType} report: ${scan.why}: judged by the approval policies (fallback_behavior)`);
  return { reports: { ...read, missingScans }, notes };
}
