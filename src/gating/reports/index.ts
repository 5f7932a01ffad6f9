/**
 * readReports: the pipeline's report artifacts (names and contents, read by the edge) → one
 * ReportSet. Each file is recognised (recognise-report.ts), parsed (parse-report-json.ts),
 * validated against its family's schema (validate-report.ts) and mapped with GitLab's finding
 * identity (map-findings.ts, finding-identity.ts); then findings are de-duplicated by id (by
 * identity key, equal exactly when the ids are: a finding's UUID is hashed only when read,
 * report-finding.ts).
 *
 * Files are processed in name order, so the result does not depend on the order the edge listed
 * them in. An invalid file (not JSON, or failing its schema) does not stop the others: it is
 * listed in `invalid` with its problem, and the approval rules that need its report type fall
 * back on `fallback_behavior` (GitLab refuses such a report, so its findings are unknown).
 * invalidReportsError turns the list into one error for callers that must refuse them.
 *
 * `scan.status: failure` (our choice; GitLab's handling is unverified): the findings are kept
 * — a partial scan still found them — but the report type is not counted as present unless
 * another report of the type succeeded, so a rule that needs the scan sees it as missing.
 */
import { ConfigError } from '../../errors.js';
import type { Finding, InvalidReport, LicenseComponent, ReportSet, ReportType } from '../findings-model.js';
import { dedupeFindings } from './dedupe-findings.js';
import { createIdentityHashes, type IdentityHashes } from './finding-identity.js';
import { mapFindings } from './map-findings.js';
import { parseReportJson } from './parse-report-json.js';
import { mergeComponents, compareText, readSbomComponents } from './read-sbom.js';
import { recogniseByContent as recogniseKindByContent, recogniseByName, type ReportKind } from './recognise-report.js';
import { validateCycloneDx, validateSecurityReport } from './validate-report.js';

export interface ReportFile {
  /** The artifact's path as the job wrote it, e.g. `gl-sast-report.json` or `reports/gl-sbom-npm-npm.cdx.json`. */
  readonly name: string;
  readonly text: string;
}

export interface ReadReportsOptions {
  /** GitLab's project id: with it, finding ids are exactly GitLab's finding UUIDs. */
  readonly projectId?: number | string;
  /**
   * Identifier fingerprints to reuse and add to: pass the same createIdentityHashes() to the
   * readReports of both sides of a merge request, and each rule or CVE is hashed once.
   */
  readonly hashes?: IdentityHashes;
}

export function readReports(files: readonly ReportFile[], options: ReadReportsOptions = {}): ReportSet {
  const findings: Finding[] = [];
  const components: LicenseComponent[] = [];
  const succeeded = new Set<ReportType>();
  const failedScans: { file: string; reportType: ReportType }[] = [];
  const read: string[] = [];
  const skipped: string[] = [];
  const invalid: InvalidReport[] = [];
  let hasSbom = false;
  const hashes = options.hashes ?? createIdentityHashes();

  for (const file of [...files].sort((a, b) => compareText(a.name, b.name))) {
    const kind = recogniseByName(file.name);
    let recognised: { kind: ReportKind; data: unknown } | undefined;
    try {
      recognised = kind === undefined ? recogniseByContent(file) : { kind, data: parseReportJson(file.text, file.name) };
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
      findings.push(...mapFindings(report, { reportType, file: file.name, projectId: options.projectId, hashes }));
      if (report.scan.status === 'success') succeeded.add(reportType);
      else failedScans.push({ file: file.name, reportType });
    } catch (error) {
      // Every invalid file is collected, so one run names them all; the rules decide what it means.
      const reportKind = recognised?.kind ?? kind;
      if (!(error instanceof ConfigError) || reportKind === undefined) throw error;
      invalid.push(toInvalidReport(error, file.name, reportKind));
    }
  }

  return {
    findings: dedupeFindings(findings),
    components: mergeComponents(components),
    reportTypes: succeeded,
    hasSbom,
    files: read,
    skipped,
    failedScans,
    ...(invalid.length === 0 ? {} : { invalid }),
  };
}

function toInvalidReport(error: ConfigError, file: string, kind: ReportKind): InvalidReport {
  return {
    file,
    kind: kind.family === 'cyclonedx' ? 'cyclonedx' : kind.reportType,
    code: error.code,
    message: error.message,
    ...(error.location?.line === undefined ? {} : { line: error.location.line }),
    ...(error.location?.column === undefined ? {} : { column: error.location.column }),
  };
}

/** A JSON file not named as a report is read only if its content plainly is one; anything else is skipped. */
function recogniseByContent(file: ReportFile): { kind: ReportKind; data: unknown } | undefined {
  if (!file.name.toLowerCase().endsWith('.json')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(file.text) as unknown;
  } catch {
    return undefined; // not named as a report and not JSON: not ours to judge
  }
  const byContent = recogniseKindByContent(data);
  return byContent === undefined ? undefined : { kind: byContent, data };
}

export { splitLicenseExpression } from './read-sbom.js';
export { invalidReportsError } from './invalid-reports.js';
export { FINDING_UUID_NAMESPACE, createIdentityHashes, dockerImageNameWithoutTag, identifyFinding, locationFingerprintData, type IdentityHashes } from './finding-identity.js';
