/**
 * Which report a file is, from its name and then its content (gitlab-approvals-status-checks.md
 * §3.1). GitLab knows a report's type from the job's `artifacts:reports:<type>` key; we are given
 * only files, so the default artifact names decide first, and a file with another name is read
 * when its content is plainly a report (a security report's `scan.type`, or CycloneDX's
 * `bomFormat`). Anything else is skipped and listed as skipped, never read half-way.
 */
import type { ReportType } from '../findings-model.js';

/** The report types this reader maps to findings. */
export type SecurityReportType = Exclude<ReportType, 'cluster_image_scanning'>;

export type ReportKind =
  | { readonly family: 'security'; readonly reportType: SecurityReportType }
  | { readonly family: 'cyclonedx' };

// GitLab's default artifact file names (lib/gitlab/ci/build/artifacts/definitions/*.rb).
const DEFAULT_FILE_NAMES: ReadonlyMap<string, SecurityReportType> = new Map([
  ['gl-sast-report.json', 'sast'],
  ['gl-secret-detection-report.json', 'secret_detection'],
  ['gl-dependency-scanning-report.json', 'dependency_scanning'],
  ['gl-container-scanning-report.json', 'container_scanning'],
  ['gl-dast-report.json', 'dast'],
  ['gl-api-fuzzing-report.json', 'api_fuzzing'],
  ['gl-coverage-fuzzing.json', 'coverage_fuzzing'],
  ['gl-coverage-fuzzing-report.json', 'coverage_fuzzing'],
]);

const SECURITY_REPORT_TYPES: ReadonlySet<string> = new Set<SecurityReportType>([
  'sast',
  'secret_detection',
  'dependency_scanning',
  'container_scanning',
  'dast',
  'api_fuzzing',
  'coverage_fuzzing',
]);

/** The last path segment: artifacts arrive as `reports/gl-sast-report.json` as often as bare. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1] ?? name;
}

/** The kind a file's name promises, or undefined when the name alone does not tell. */
export function recogniseByName(name: string): ReportKind | undefined {
  const base = baseName(name).toLowerCase();
  const reportType = DEFAULT_FILE_NAMES.get(base);
  if (reportType !== undefined) return { family: 'security', reportType };
  // gl-sbom-<pkgtype>-<pkgmanager>.cdx.json, and any other CycloneDX JSON named as such.
  if (base.endsWith('.cdx.json')) return { family: 'cyclonedx' };
  return undefined;
}

/**
 * The kind parsed JSON content plainly is, for files whose names do not tell. Deliberately
 * narrow: a JSON file that merely resembles a report is skipped rather than rejected.
 */
export function recogniseByContent(data: unknown): ReportKind | undefined {
  if (!isRecord(data)) return undefined;
  if (data['bomFormat'] === 'CycloneDX') return { family: 'cyclonedx' };
  const scan = data['scan'];
  if (typeof data['version'] !== 'string' || !Array.isArray(data['vulnerabilities']) || !isRecord(scan)) return undefined;
  const type = scan['type'];
  if (typeof type !== 'string' || !SECURITY_REPORT_TYPES.has(type)) return undefined;
  // Checked against the set of SecurityReportType values just above.
  return { family: 'security', reportType: type as SecurityReportType };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
