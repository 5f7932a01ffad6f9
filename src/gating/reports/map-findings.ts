/**
 * A validated security report → our Findings, the way GitLab's parser builds them
 * (lib/gitlab/ci/parsers/security/common.rb): the first identifier is primary, severity is
 * lower-cased (missing → unknown), the name falls back to "<identifier> in <location>", and the
 * `flagged-as-likely-false-positive` flag sets falsePositive. Tracking signatures, when given,
 * decide the id (tracking-signatures.ts).
 */
import type { Finding, Identifier, ReportType, Severity } from '../findings-model.js';
import { findingIdentityKey, locationFingerprintData, type IdentityHashes } from './finding-identity.js';
import { ReportFinding, type IdentityContext } from './report-finding.js';
import { readTrackingSignatureValues } from './tracking-signatures.js';
import type { ReportLocation, ReportVulnerability, SecurityReportDocument } from './report-document.js';

export interface MapOptions {
  readonly reportType: ReportType;
  readonly file: string;
  readonly projectId: number | string | undefined;
  /** Identifier fingerprints already computed (the other side of a merge request); new ones are added. */
  readonly hashes?: IdentityHashes;
}

export function mapFindings(report: SecurityReportDocument, options: MapOptions): Finding[] {
  // A remediation fixes the vulnerabilities whose report `id` it lists (schema: remediations[].fixes[].id).
  const remediated = new Set((report.remediations ?? []).flatMap((remediation) => remediation.fixes.map((fix) => fix.id)));
  const scanner = { id: report.scan.scanner.id, name: report.scan.scanner.name };
  const context: IdentityContext = { projectId: options.projectId, hashes: options.hashes };
  return report.vulnerabilities.map((vulnerability) => mapFinding(vulnerability, scanner, remediated, options, context));
}

function mapFinding(
  vulnerability: ReportVulnerability,
  scanner: Finding['scanner'],
  remediated: ReadonlySet<string>,
  options: MapOptions,
  context: IdentityContext,
): Finding {
  const identifiers = vulnerability.identifiers.map(toIdentifier);
  const primaryIdentifier = identifiers[0] as Identifier; // the schema requires at least one
  const { signatures, firstValue } = readTrackingSignatureValues(vulnerability.tracking);
  const locationFingerprint = locationFingerprintData(options.reportType, vulnerability.location);
  // Flattened now (hashing it used to do so): else the finding keeps its concatenation's pieces.
  locationFingerprint.charCodeAt(0);
  // The UUID is hashed when read (report-finding.ts); the key compares without hashing.
  const key = findingIdentityKey(options.reportType, primaryIdentifier, firstValue ?? locationFingerprint, options.projectId);
  return new ReportFinding(
    options.reportType,
    vulnerability.id,
    scanner,
    primaryIdentifier,
    identifiers,
    locationFingerprint,
    findingName(vulnerability, identifiers, options.reportType),
    toSeverity(vulnerability.severity),
    describeLocation(options.reportType, vulnerability.location),
    vulnerability.flags !== undefined && vulnerability.flags.some((flag) => flag.type === 'flagged-as-likely-false-positive'),
    // Our reading of "fix available": a solution text or a remediation for this vulnerability.
    (vulnerability.solution !== undefined && vulnerability.solution.trim() !== '') || remediated.has(vulnerability.id),
    options.file,
    // Most findings have none: then no signatures key at all, as before.
    signatures.length === 0 ? undefined : signatures,
    key,
    context,
  );
}

function toIdentifier(identifier: { type: string; name: string; value: string }): Identifier {
  return { type: identifier.type, name: identifier.name, value: identifier.value };
}

/** common.rb#parse_severity_level: lower-cased; absent → unknown (the schema already refused other values). */
function toSeverity(severity: ReportVulnerability['severity']): Severity {
  return severity === undefined ? 'unknown' : SEVERITY_OF[severity];
}

// The schema's spellings, lower-cased once: not a new string for each of 10,000 findings.
const SEVERITY_OF: Readonly<Record<NonNullable<ReportVulnerability['severity']>, Severity>> = { Critical: 'critical', High: 'high', Medium: 'medium', Low: 'low', Info: 'info', Unknown: 'unknown' };

/** common.rb#finding_name: the name, else "<CVE, CWE or first identifier name> in <fingerprint path>". */
function findingName(vulnerability: ReportVulnerability, identifiers: readonly Identifier[], reportType: ReportType): string {
  if (vulnerability.name !== undefined && vulnerability.name.trim() !== '') return vulnerability.name;
  const byType = (type: string): Identifier | undefined => identifiers.find((identifier) => identifier.type.toLowerCase() === type);
  const identifier = byType('cve') ?? byType('cwe') ?? identifiers[0];
  return `${identifier?.name ?? 'Finding'} in ${fingerprintPath(reportType, vulnerability.location)}`;
}

/** Location#fingerprint_path: the file for file-based types, the path for DAST, else the fingerprint data. */
function fingerprintPath(reportType: ReportType, location: ReportLocation): string {
  switch (reportType) {
    case 'sast':
    case 'secret_detection':
    case 'dependency_scanning':
      return location.file ?? '';
    case 'dast':
    case 'api_fuzzing':
      return location.path ?? '';
    default:
      return locationFingerprintData(reportType, location);
  }
}

/** For people: `src/app.js:12`, `package-lock.json lodash 4.17.20`, `alpine:3.19 openssl 3.1.4-r0`, `GET https://x/y`. */
export function describeLocation(reportType: ReportType, location: ReportLocation): string {
  const dependency = location.dependency === undefined ? '' : `${location.dependency.package.name} ${location.dependency.version}`.trim();
  switch (reportType) {
    case 'sast':
    case 'secret_detection': {
      const lines = location.end_line !== undefined && location.end_line !== location.start_line ? `${location.start_line ?? ''}-${location.end_line}` : `${location.start_line ?? ''}`;
      return lines === '' ? (location.file ?? '') : `${location.file ?? ''}:${lines}`;
    }
    case 'dependency_scanning':
      return `${location.file ?? ''} ${dependency}`.trim();
    case 'container_scanning':
    case 'cluster_image_scanning':
      return `${location.image ?? ''} ${dependency}`.trim();
    case 'dast':
    case 'api_fuzzing': {
      const target = `${location.method ?? ''} ${location.hostname ?? ''}${location.path ?? ''}`.trim();
      return location.param === undefined || location.param === '' ? target : `${target} (${location.param})`;
    }
    case 'coverage_fuzzing':
      return `${location.crash_type ?? ''} ${location.crash_state ?? ''}`.trim();
  }
}
