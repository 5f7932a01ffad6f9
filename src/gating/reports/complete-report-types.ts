/**
 * The report types a pipeline reported completely: a successful report of the type was read, and
 * none of the type was refused (invalid), failed, or expected by a scan execution policy and
 * missing. Only these may say that a finding is gone: a scan that did not run, failed or was
 * refused says nothing about what it would have found (docs/store.md, recording findings).
 */
import type { ReportSet, ReportType } from '../findings-model.js';

export function completeReportTypes(set: ReportSet): ReportType[] {
  const incomplete = new Set<string>([
    ...(set.invalid ?? []).map((report) => report.kind),
    ...(set.failedScans ?? []).map((scan) => scan.reportType),
    ...(set.missingScans ?? []).map((scan) => scan.reportType),
  ]);
  return [...set.reportTypes].filter((type) => !incomplete.has(type)).sort();
}
