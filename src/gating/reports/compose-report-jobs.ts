/**
 * Which jobs of a composed pipeline `evaluate` may take security reports from, and which scans
 * should have reported, read from the compose report (`policy-report.json`, artifact of
 * `policy:compose`, emit/report.ts). Only jobs the report names with origin `policy` or
 * `scan-policy` are trusted: a project job controls what it writes, so a clean `gl-*.json` of
 * its own must not stand in for a policy's scan (issue #10). Pure: the caller downloads it.
 */
import type { ReportSet, ReportType } from '../findings-model.js';

/** An applied scan execution policy action: its scan should be in the pipeline's reports. */
export interface ExpectedScan {
  readonly policy: string;
  readonly action: number;
  readonly scan: string;
  /** The report its jobs write; undefined for a scan type without a security report. */
  readonly reportType: ReportType | undefined;
  readonly jobs: readonly string[];
  /** Its jobs that rules left out, each with the rule that did: `name: reason`. */
  readonly droppedJobs: readonly string[];
}

export interface ComposeReportJobs {
  readonly trustedJobs: ReadonlySet<string>;
  readonly expectedScans: readonly ExpectedScan[];
  /** Composed without policies (`--fail-open`): the message; no policy job ran. */
  readonly policyFailure: string | undefined;
}

export interface MissingScan {
  readonly reportType: ReportType;
  /** For people: which policy action and why no report came. */
  readonly why: string;
}

// The report each scan action's template writes (templates/scans/SOURCES.md).
const SCAN_REPORT_TYPES: Readonly<Record<string, ReportType>> = {
  secret_detection: 'secret_detection',
  sast: 'sast',
  sast_iac: 'sast',
  dependency_scanning: 'dependency_scanning',
  container_scanning: 'container_scanning',
  dast: 'dast',
};
const TRUSTED_ORIGINS = new Set(['policy', 'scan-policy']);

type JsonObject = Readonly<Record<string, unknown>>;

/** The trusted jobs and expected scans, or why the report cannot be used. */
export function readComposeReportJobs(report: unknown, file: string): ComposeReportJobs | { readonly unreadable: string } {
  const unreadable = (why: string) => ({ unreadable: `${file} ${why}` });
  const root = asObject(report);
  if (root === undefined) return unreadable('is not a JSON object');
  if (root['version'] !== 1) return unreadable(`has version ${JSON.stringify(root['version'])}, not 1`);
  const jobs = root['jobs'];
  if (!Array.isArray(jobs)) return unreadable('has no jobs list');
  const trustedJobs = new Set<string>();
  for (const [index, job] of jobs.entries()) {
    const entry = asObject(job);
    const name = entry?.['name'];
    const origin = entry?.['origin'];
    if (typeof name !== 'string' || typeof origin !== 'string') return unreadable(`has a malformed jobs[${index}]`);
    if (TRUSTED_ORIGINS.has(origin)) trustedJobs.add(name);
  }
  const excludedReasons = new Map<string, string>();
  for (const job of asArray(root['excludedJobs'])) {
    const entry = asObject(job);
    if (typeof entry?.['name'] === 'string' && typeof entry['reason'] === 'string') excludedReasons.set(entry['name'], entry['reason']);
  }
  const expectedScans: ExpectedScan[] = [];
  for (const [index, action] of asArray(root['scanActions']).entries()) {
    const entry = asObject(action);
    if (entry === undefined || typeof entry['policy'] !== 'string' || typeof entry['scan'] !== 'string' || typeof entry['action'] !== 'number') return unreadable(`has a malformed scanActions[${index}]`);
    if (entry['applied'] !== true) continue;
    const jobNames = strings(entry['jobs']);
    expectedScans.push({
      policy: entry['policy'],
      action: entry['action'],
      scan: entry['scan'],
      reportType: SCAN_REPORT_TYPES[entry['scan']],
      jobs: jobNames,
      droppedJobs: strings(entry['excludedJobs']).map((name) => `${name}: ${excludedReasons.get(name) ?? 'left out by rules'}`),
    });
  }
  const failure = asObject(root['policyFailure']);
  return { trustedJobs, expectedScans, policyFailure: typeof failure?.['message'] === 'string' ? failure['message'] : undefined };
}

/**
 * The expected scans whose report type the trusted reports lack: an applied action whose jobs all
 * dropped out by rules ("applied, no jobs"), or whose jobs wrote no (successful) report. The
 * approval rules then judge them as missing scans (scan-finding-rule.ts, `fallback_behavior`).
 */
export function findMissingScans(reports: ReportSet, expected: readonly ExpectedScan[]): MissingScan[] {
  const missing: MissingScan[] = [];
  for (const scan of expected) {
    if (scan.reportType === undefined || reports.reportTypes.has(scan.reportType)) continue;
    const who = `scan execution policy "${scan.policy}" action ${scan.action} (${scan.scan})`;
    const why = scan.jobs.length === 0 ? `applied, no jobs: ${scan.droppedJobs.length === 0 ? 'no job made' : scan.droppedJobs.join('; ')}` : `no report from ${scan.jobs.join(', ')}`;
    missing.push({ reportType: scan.reportType, why: `${who}: ${why}` });
  }
  return missing;
}

function asObject(value: unknown): JsonObject | undefined {
  // checked: a non-null, non-array object
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}
