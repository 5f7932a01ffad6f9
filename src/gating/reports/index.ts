/**
 * readReports: the pipeline's report artifacts (names and contents, read by the edge) → one
 * ReportSet. Each file is recognised (recognise-report.ts), parsed (parse-report-json.ts),
 * validated against its family's schema (validate-report.ts) and mapped with GitLab's finding
 * identity (map-findings.ts, finding-identity.ts); then findings are de-duplicated by id.
 *
 * Files are processed in name order, so the first invalid file reported, like everything else
 * in the result, does not depend on the order the edge listed them in.
 *
 * `scan.status: failure` (our choice; GitLab's handling is unverified): the findings are kept
 * — a partial scan still found them — but the report type is not counted as present unless
 * another report of the type succeeded, so a rule that needs the scan sees it as missing.
 */
import type { Finding, LicenseComponent, ReportSet, ReportType } from '../findings-model.js';
import { dedupeFindings } from './dedupe-findings.js';
import { mapFindings } from './map-findings.js';
import { parseReportJson } from './parse-report-json.js';
import { mergeComponents, compareText, readSbomComponents } from './read-sbom.js';
import { recogniseByContent, recogniseByName, type ReportKind } from './recognise-report.js';
import { validateCycloneDx, validateSecurityReport } from './validate-report.js';

export interface ReportFile {
  /** The artifact's path as the job wrote it, e.g. `gl-sast-report.json` or `reports/gl-sbom-npm-npm.cdx.json`. */
  readonly name: string;
  readonly text: string;
}

export interface ReadReportsOptions {
  /** GitLab's project id: with it, finding ids are exactly GitLab's finding UUIDs. */
  readonly projectId?: number | string;
}

export function readReports(files: readonly ReportFile[], options: ReadReportsOptions = {}): ReportSet {
  const findings: Finding[] = [];
  const components: LicenseComponent[] = [];
  const succeeded = new Set<ReportType>();
  const failedScans: { file: string; reportType: ReportType }[] = [];
  const read: string[] = [];
  const skipped: string[] = [];
  let hasSbom = false;

  for (const file of [...files].sort((a, b) => compareText(a.name, b.name))) {
    const recognised = recogniseFile(file);
    if (recognised === undefined) {
      skipped.push(file.name);
      continue;
    }
    read.push(file.name);
    if (recognised.kind.family === 'cyclonedx') {
      components.push(...readSbomComponents(validateCycloneDx(recognised.data, file.name)));
      hasSbom = true;
      continue;
    }
    const reportType = recognised.kind.reportType;
    const report = validateSecurityReport(recognised.data, reportType, file.name);
    findings.push(...mapFindings(report, { reportType, file: file.name, projectId: options.projectId }));
    if (report.scan.status === 'success') succeeded.add(reportType);
    else failedScans.push({ file: file.name, reportType });
  }

  return {
    findings: dedupeFindings(findings),
    components: mergeComponents(components),
    reportTypes: succeeded,
    hasSbom,
    files: read,
    skipped,
    failedScans,
  };
}

/** A file named as a report must be one; another JSON file is read only if its content plainly is one. */
function recogniseFile(file: ReportFile): { kind: ReportKind; data: unknown } | undefined {
  const byName = recogniseByName(file.name);
  if (byName !== undefined) return { kind: byName, data: parseReportJson(file.text, file.name) };
  if (!file.name.toLowerCase().endsWith('.json')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(file.text) as unknown;
  } catch {
    return undefined; // not named as a report and not JSON: not ours to judge
  }
  const byContent = recogniseByContent(data);
  return byContent === undefined ? undefined : { kind: byContent, data };
}

export { splitLicenseExpression } from './read-sbom.js';
export { FINDING_UUID_NAMESPACE, dockerImageNameWithoutTag, identifyFinding, locationFingerprintData } from './finding-identity.js';
